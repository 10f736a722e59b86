pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

Page {
    id: page
    required property AppController app
    required property StackView stack
    objectName: "outboxPage"
    header: AppHeader { app: page.app; back: true; title: qsTr("Outbox"); onBackClicked: page.stack.pop() }

    ColumnLayout {
        anchors.fill: parent; anchors.margins: 20
        SyncBar { app: page.app; Layout.fillWidth: true }
        ListView {
            Layout.fillWidth: true; Layout.fillHeight: true
            clip: true; spacing: 8
            model: page.app.outbox
            delegate: Frame {
                id: entry
                required property var modelData
                width: ListView.view.width
                ColumnLayout {
                    width: parent.width
                    RowLayout {
                        Label { text: entry.modelData.contest; font.bold: true; Layout.fillWidth: true }
                        Label { text: entry.modelData.fromDesk ? qsTr("decided by the desk") : ""; color: Theme.muted }
                        StateBadge { state: entry.modelData.state }
                    }
                    Label { text: entry.modelData.capturedAt + (entry.modelData.reason ? " · " + entry.modelData.reason : ""); color: Theme.muted }
                    Repeater {
                        model: entry.modelData.messages
                        Label { required property string modelData; text: modelData; color: Theme.error; wrapMode: Text.WordWrap; Layout.fillWidth: true }
                    }
                }
            }
        }
    }
}
