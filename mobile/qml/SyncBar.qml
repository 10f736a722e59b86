import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// What waits to be sent, whether the receiver answers, when the next try is, and "send now".
Pane {
    id: bar
    required property SyncService sync
    property bool showOutbox: true
    signal outboxClicked()
    padding: 12
    background: Rectangle {
        radius: 8
        color: bar.sync.problem !== Problem.None && !bar.sync.syncing ? Theme.warningBackground : Theme.surface
        border.color: Theme.line
    }
    GridLayout {
        anchors.fill: parent
        columns: bar.width > 720 ? 2 : 1
        columnSpacing: 16; rowSpacing: 8
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4
            Label {
                objectName: "queueText"
                text: bar.sync.queueText
                font.bold: true
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                objectName: "statusText"
                text: bar.sync.statusText
                visible: text.length > 0
                color: Theme.text; font.pixelSize: Theme.small
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                objectName: "nextTry"
                text: bar.sync.nextTryText
                visible: text.length > 0
                color: Theme.text; font.pixelSize: Theme.small; font.bold: true
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                objectName: "lastSync"
                text: bar.sync.lastSyncText
                visible: text.length > 0
                color: Theme.muted; font.pixelSize: Theme.small
                Layout.fillWidth: true
            }
            ProgressBar { visible: bar.sync.syncing; value: bar.sync.progress; Layout.fillWidth: true }
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight | Qt.AlignVCenter
            spacing: 8
            Button {
                objectName: "outboxButton"
                visible: bar.showOutbox
                text: qsTr("Outbox")
                implicitHeight: Theme.touch
                flat: true
                onClicked: bar.outboxClicked()
            }
            Button {
                objectName: "sendNow"
                text: qsTr("Send now")
                highlighted: true
                implicitHeight: Theme.touch
                enabled: !bar.sync.syncing
                onClicked: bar.sync.syncNow()
            }
        }
    }
}
