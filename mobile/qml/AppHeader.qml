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
            // Two lines, and smaller type before anything is cut: a long contest name and
            // "koreksi" must both show in portrait.
            text: bar.title; color: "white"; font.bold: true
            font.pixelSize: bar.width < 1000 && bar.title.length > 28 ? 18 : 22
            // Whatever room the pill and the language leave, never more (a long name wraps).
            Layout.fillWidth: true; Layout.preferredWidth: 0; Layout.minimumWidth: 0
            Layout.fillHeight: true; Layout.leftMargin: bar.back ? 0 : 12
            wrapMode: Text.WordWrap; maximumLineCount: 2
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
        }
        Rectangle {
            objectName: "connection"
            visible: bar.enrolled
            radius: 14; implicitHeight: Math.max(32, connectionText.implicitHeight + 8)
            implicitWidth: connectionText.implicitWidth + 24
            color: bar.sync.syncing ? "#cfe0ff" : bar.sync.online ? Theme.online : Theme.offline
            Label {
                id: connectionText
                objectName: "connectionText"
                anchors.centerIn: parent
                horizontalAlignment: Text.AlignHCenter
                color: Theme.text; font.pixelSize: Theme.small; font.bold: true
                // "Online" only while the receiver's last answer is recent (a heartbeat asks
                // every few seconds); otherwise when it last answered, kept across a restart.
                text: bar.sync.syncing ? qsTr("Sending")
                      : bar.sync.online ? "\u25cf " + qsTr("Online") + " " + bar.sync.lastContactTime
                      // In portrait on two lines, leaving the title its room.
                      : bar.sync.lastContactTime ? "\u25cb " + qsTr("Last contact") + (bar.width < 1000 ? "\n" : " ") + bar.sync.lastContactTime
                      : "\u25cb " + qsTr("Offline")
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
