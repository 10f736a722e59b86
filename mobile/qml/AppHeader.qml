import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

ToolBar {
    id: bar
    required property AppController app
    property string title
    property bool back: false
    signal backClicked()
    implicitHeight: 64
    background: Rectangle { color: Theme.header }
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12; anchors.rightMargin: 12
        ToolButton {
            visible: bar.back
            text: "\u2190 " + qsTr("Back")
            font.pixelSize: 20
            palette.buttonText: "white"
            onClicked: bar.backClicked()
        }
        Label { text: bar.title; color: "white"; font.pixelSize: 22; font.bold: true; Layout.fillWidth: true; elide: Text.ElideRight }
        Label {
            visible: bar.app.enrolled
            color: bar.app.reachable ? "#b6f2c3" : "#ffd7a8"
            text: bar.app.syncing ? qsTr("Sending...") : bar.app.reachable ? qsTr("Online") : qsTr("Offline")
        }
        ComboBox {
            objectName: "language"
            model: ["Bahasa Indonesia", "English"]
            currentIndex: bar.app.language === "en" ? 1 : 0
            onActivated: (i) => bar.app.language = i === 1 ? "en" : "id"
            implicitWidth: 220
        }
    }
}
