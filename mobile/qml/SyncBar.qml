import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

Frame {
    id: bar
    required property AppController app
    signal outboxClicked()
    RowLayout {
        anchors.fill: parent
        spacing: 16
        ColumnLayout {
            Layout.fillWidth: true
            Label {
                objectName: "queueText"
                text: bar.app.queueDepth > 0
                      ? qsTr("%n sheet(s) waiting to be sent", "", bar.app.queueDepth)
                      : qsTr("Everything has been sent")
                font.bold: true
            }
            Label {
                text: (bar.app.lastSync ? qsTr("Last sync %1. ").arg(bar.app.lastSync) : "") + bar.app.syncMessage
                color: Theme.muted; wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            ProgressBar { visible: bar.app.syncing; value: bar.app.progress; Layout.fillWidth: true }
        }
        Button { text: qsTr("Outbox"); implicitHeight: Theme.touch; onClicked: bar.outboxClicked() }
        Button {
            objectName: "sendNow"
            text: qsTr("Send now")
            highlighted: true
            implicitHeight: Theme.touch
            enabled: !bar.app.syncing
            onClicked: bar.app.syncNow()
        }
    }
}
