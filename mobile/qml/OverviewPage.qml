pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// The TPS at a glance: who types, what waits to be sent, and one card per sheet.
Page {
    id: page
    required property Settings settings
    required property Enrolment enrolment
    required property SyncService sync
    required property SheetsModel sheets
    signal sheetOpened(string contest)
    signal correctionOpened(string contest)
    signal outboxOpened()
    objectName: "overviewPage"

    header: AppHeader { settings: page.settings; sync: page.sync; title: page.enrolment.scopeName }

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight + 2 * Theme.margin
        clip: true
        ColumnLayout {
            id: column
            x: Theme.margin; y: Theme.margin
            width: page.width - 2 * Theme.margin
            spacing: 16

            // Which election: a desk may run February's and November's with the same tablets.
            Label {
                objectName: "electionName"
                visible: text !== ""
                text: page.enrolment.electionName
                font.bold: true; color: Theme.accent
                elide: Text.ElideRight; Layout.fillWidth: true
            }
            Label {
                text: page.enrolment.regencyName + " \u00b7 TPS " + page.enrolment.scope
                color: Theme.muted; font.pixelSize: Theme.small
                elide: Text.ElideRight; Layout.fillWidth: true
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Label { text: qsTr("Operator") }
                TextField {
                    objectName: "operatorName"
                    text: page.settings.operatorName
                    placeholderText: qsTr("Your name")
                    implicitHeight: Theme.touch
                    Layout.fillWidth: true; Layout.maximumWidth: 480
                    onEditingFinished: page.settings.operatorName = text
                }
            }

            SyncBar { sync: page.sync; Layout.fillWidth: true; onOutboxClicked: page.outboxOpened() }

            Label {
                text: qsTr("%n result sheet(s) (C.Hasil) of this TPS", "", page.sheets.count)
                font.bold: true; wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            GridLayout {
                id: grid
                objectName: "cards"
                // No empty column: a Pilkada TPS has two sheets.
                columns: Math.max(1, Math.min(page.sheets.count, page.width > page.height ? 3 : 2))
                columnSpacing: 16; rowSpacing: 16
                Layout.fillWidth: true
                Repeater {
                    model: page.sheets
                    delegate: ItemDelegate {
                        id: card
                        required property int index
                        required property string contest
                        required property string name
                        required property int status
                        required property string statusLabel
                        required property string receipt
                        required property bool noPhoto
                        required property string sendBack
                        required property string sendBackBy
                        objectName: "sheet:" + contest
                        Layout.fillWidth: true
                        // Equal columns whatever the names' lengths.
                        Layout.preferredWidth: (grid.width - (grid.columns - 1) * grid.columnSpacing) / grid.columns
                        Layout.maximumWidth: Layout.preferredWidth
                        implicitHeight: Math.max(120, contentItem.implicitHeight + 24)
                        background: Rectangle {
                            radius: 10
                            color: card.pressed ? "#dde6f5" : Theme.surface
                            // Sent back by the desk: the card the operator must not miss.
                            border.color: card.sendBack ? Theme.warning : Theme.sheetColor(card.status)
                            border.width: card.sendBack ? 4 : 2
                        }
                        contentItem: ColumnLayout {
                            spacing: 8
                            Label {
                                text: card.name
                                font.pixelSize: 22; font.bold: true
                                wrapMode: Text.WordWrap; maximumLineCount: 2; elide: Text.ElideRight
                                // The card's width, not the name's: a name that wraps (the
                                // Pilkada's "Gubernur dan Wakil Gubernur ...") must not feed its
                                // unwrapped width back into the grid (a polish loop).
                                Layout.fillWidth: true; Layout.preferredWidth: 1
                            }
                            StateBadge { label: card.statusLabel; tint: Theme.sheetColor(card.status) }
                            // The ledger's receipt: the operator notes it on the paper form, and
                            // anyone can later check it against the published ledger.
                            // Large and dark: it is copied by hand onto the paper form.
                            Label {
                                objectName: "receipt:" + card.contest
                                visible: card.receipt.length > 0
                                text: qsTr("Receipt %1").arg(card.receipt)
                                font.pixelSize: Theme.fontSize; font.family: "monospace"; font.bold: true
                                color: Theme.text
                                wrapMode: Text.WrapAnywhere; Layout.fillWidth: true
                            }
                            // "Perlu perbaikan": the desk sent the sheet back, with its reason, until
                            // the correction reaches the receiver.
                            ColumnLayout {
                                objectName: "sendBack:" + card.contest
                                visible: card.sendBack.length > 0
                                spacing: 6
                                Layout.fillWidth: true
                                Label {
                                    text: "\u26a0 " + qsTr("Needs correction")
                                    color: Theme.warning; font.bold: true; font.pixelSize: Theme.fontSize
                                    wrapMode: Text.WordWrap; Layout.fillWidth: true
                                }
                                Label {
                                    objectName: "sendBackReason:" + card.contest
                                    text: qsTr("Desk (%1): %2").arg(card.sendBackBy).arg(card.sendBack)
                                    font.pixelSize: Theme.small; color: Theme.text
                                    wrapMode: Text.WordWrap; maximumLineCount: 4; elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                                Button {
                                    objectName: "fix:" + card.contest
                                    text: qsTr("Correct it")
                                    highlighted: true
                                    implicitHeight: Theme.touch
                                    Layout.fillWidth: true
                                    onClicked: page.correctionOpened(card.contest)
                                }
                            }
                            Label {
                                objectName: "noPhoto:" + card.contest
                                visible: card.noPhoto
                                text: "\u26a0 " + qsTr("Sent without the plano photo")
                                color: Theme.warning; font.bold: true; font.pixelSize: Theme.small
                                wrapMode: Text.WordWrap; Layout.fillWidth: true
                            }
                        }
                        onClicked: page.sheetOpened(card.contest)
                    }
                }
            }
        }
    }
}
