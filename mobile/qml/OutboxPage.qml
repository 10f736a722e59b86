pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// Every sheet this tablet finalized, newest first, and where each stands.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property OutboxModel outbox
    required property RelayCodes relayCodes
    signal relayRequested()
    objectName: "outboxPage"
    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: qsTr("Outbox")
        onBackClicked: page.StackView.view.pop()
    }

    Component.onCompleted: page.relayCodes.refresh()
    ColumnLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        spacing: 12
        SyncBar { sync: page.sync; showOutbox: false; Layout.fillWidth: true }
        // No signal here, but the camat's tablet nearby may have one (or will, later).
        Button {
            objectName: "relayButton"
            visible: page.relayCodes.sheets > 0
            text: qsTr("Send by QR (%n sheet(s))", "", page.relayCodes.sheets)
            implicitHeight: Theme.touch
            onClicked: page.relayRequested()
        }
        Label {
            visible: page.outbox.count === 0
            text: qsTr("Nothing finalized yet.")
            color: Theme.muted
        }
        ListView {
            objectName: "outboxList"
            Layout.fillWidth: true; Layout.fillHeight: true
            clip: true; spacing: 8
            model: page.outbox
            delegate: Pane {
                id: entry
                required property string revision
                required property string contest
                required property int status
                required property string statusLabel
                required property string capturedAt
                required property string reason
                required property bool decision
                required property bool correction
                required property var messages
                objectName: "entry:" + revision
                width: ListView.view.width
                padding: 12
                background: Rectangle { radius: 8; color: Theme.surface; border.color: Theme.line }
                ColumnLayout {
                    width: parent.width
                    spacing: 4
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            text: entry.contest + (entry.correction ? " \u00b7 " + qsTr("correction") : "")
                            font.bold: true; Layout.fillWidth: true; elide: Text.ElideRight
                        }
                        StateBadge { label: entry.statusLabel; tint: Theme.sheetColor(entry.status) }
                    }
                    Label {
                        text: (entry.decision ? qsTr("decided by the desk") + " \u00b7 " : "") + entry.capturedAt
                              + (entry.reason ? " \u00b7 " + entry.reason : "")
                        color: Theme.muted; font.pixelSize: Theme.small
                        wrapMode: Text.WordWrap; Layout.fillWidth: true
                    }
                    Repeater {
                        model: entry.messages
                        Label {
                            required property string modelData
                            text: modelData
                            color: Theme.error; wrapMode: Text.WordWrap; Layout.fillWidth: true
                        }
                    }
                }
            }
        }
    }
}
