import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Rekap.Tablet

// The bar on every screen: back, the title, whether the receiver answers, the language.
ToolBar {
    id: bar
    required property Settings settings
    required property SyncService sync
    property bool enrolled: true
    property string title
    property bool back: false
    signal backClicked()
    implicitHeight: 64
    Material.background: Theme.header
    Material.foreground: "white"
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 4; anchors.rightMargin: 8
        spacing: 4
        ToolButton {
            objectName: "back"
            visible: bar.back
            text: "\u2190 " + qsTr("Back")
            font.pixelSize: Theme.fontSize
            implicitHeight: Theme.touch; implicitWidth: Math.max(Theme.touch, implicitContentWidth + 32)
            onClicked: bar.backClicked()
        }
        Label {
            objectName: "title"
            text: bar.title; color: "white"; font.pixelSize: 22; font.bold: true
            Layout.fillWidth: true; Layout.leftMargin: bar.back ? 0 : 12
            elide: Text.ElideRight
        }
        Rectangle {
            objectName: "connection"
            visible: bar.enrolled
            radius: 14; implicitHeight: 32
            implicitWidth: connectionText.implicitWidth + 24
            color: bar.sync.syncing ? "#cfe0ff" : bar.sync.online ? Theme.online : Theme.offline
            Label {
                id: connectionText
                anchors.centerIn: parent
                color: Theme.text; font.pixelSize: Theme.small; font.bold: true
                text: bar.sync.syncing ? qsTr("Sending") : bar.sync.online ? "\u25cf " + qsTr("Online") : "\u25cb " + qsTr("Offline")
            }
        }
        ComboBox {
            objectName: "language"
            model: ["Indonesia", "English"]
            currentIndex: bar.settings.language === "en" ? 1 : 0
            onActivated: (i) => bar.settings.language = i === 1 ? "en" : "id"
            implicitContentWidthPolicy: ComboBox.WidestText
            implicitHeight: Theme.touch
            Material.foreground: "white"
            Accessible.name: qsTr("Language")
        }
    }
}
