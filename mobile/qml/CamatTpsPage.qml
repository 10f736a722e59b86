pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// One TPS for the camat: each of its sheets and where it stands, so a partial TPS shows which
// sheets are still missing.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property CamatModel camat
    required property string tps
    objectName: "camatTpsPage"
    readonly property var row: (page.camat.fetchedAt + page.settings.language).length >= 0 ? page.camat.tps(page.tps) : ({})
    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: (page.row.name || page.tps) + (page.row.desa ? ", " + page.row.desa : "")
        onBackClicked: page.StackView.view.pop()
    }

    ColumnLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        spacing: 12
        RowLayout {
            spacing: 12
            StateBadge { label: page.row.statusLabel || ""; tint: Theme.tpsColor(page.row.status) }
            Label { text: qsTr("%1 of %2 sheets received").arg(page.row.received).arg(page.row.expected); font.bold: true }
        }
        Label {
            text: (page.row.queue > 0 ? qsTr("%n still on the tablet", "", page.row.queue) + " \u00b7 " : "")
                  + (page.row.lastSeen ? qsTr("last seen %1").arg(page.row.lastSeen) : qsTr("no tablet has reported yet"))
            color: Theme.muted
        }
        Repeater {
            model: page.row.sheets
            delegate: Pane {
                id: sheet
                required property var modelData
                objectName: "tpsSheet:" + modelData.contest
                Layout.fillWidth: true
                padding: 12
                background: Rectangle { radius: 8; color: Theme.surface; border.color: Theme.line }
                ColumnLayout {
                    width: parent.width
                    spacing: 6
                    RowLayout {
                        Layout.fillWidth: true
                        Label { text: sheet.modelData.name; font.bold: true; Layout.fillWidth: true; elide: Text.ElideRight }
                        StateBadge { label: sheet.modelData.statusLabel; tint: Theme.sheetColor(sheet.modelData.status) }
                    }
                    // Why it was rejected: the rule and its message, for the camat to pass on.
                    Label {
                        objectName: "rejection:" + sheet.modelData.contest
                        visible: text !== ""
                        text: sheet.modelData.rejection || ""
                        color: Theme.error; wrapMode: Text.WordWrap; Layout.fillWidth: true
                    }
                    // "Perlu perbaikan": what the desk asked of the TPS, and whether it came back.
                    Label {
                        objectName: "sendBack:" + sheet.modelData.contest
                        visible: (sheet.modelData.sendBack || "") !== ""
                        text: (sheet.modelData.sendBackAnswered ? "\u2713 " + qsTr("Corrected after the desk sent it back: %1")
                                                                : "\u26a0 " + qsTr("Needs correction (desk, %1): %2").arg(sheet.modelData.sendBackBy))
                              .arg(sheet.modelData.sendBack)
                        color: sheet.modelData.sendBackAnswered ? Theme.muted : Theme.warning
                        font.bold: !sheet.modelData.sendBackAnswered
                        wrapMode: Text.WordWrap; Layout.fillWidth: true
                    }
                }
            }
        }
        Item { Layout.fillHeight: true }
    }
}
