// Not "pragma ComponentBehavior: Bound": Qt 6.4 cannot create a bound section delegate.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// The camat's view: which TPS of the kecamatan reported, which only partly, which still sit on a
// tablet, which conflict or were rejected; counts per state; tap a TPS for its sheets. Offline
// it shows the last state fetched, and when.
Page {
    id: page
    required property Settings settings
    required property Enrolment enrolment
    required property SyncService sync
    required property CamatModel camat
    signal tpsOpened(string tps)
    signal relayScanRequested()
    signal readingRequested()
    objectName: "camatPage"
    header: AppHeader {
        settings: page.settings; sync: page.sync
        title: qsTr("Kecamatan %1").arg(page.enrolment.scopeName)
    }

    ColumnLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        spacing: 12
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Label {
                objectName: "fetchedAt"
                text: page.camat.fetchedAt ? qsTr("State as of %1").arg(page.camat.fetchedAt) : qsTr("Not fetched yet")
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            BusyIndicator { running: page.camat.refreshing; visible: running; implicitHeight: 48; implicitWidth: 48 }
            Button {
                objectName: "readingButton"
                text: qsTr("Second reading")
                implicitHeight: Theme.touch
                onClicked: page.readingRequested()
            }
            Button {
                objectName: "relayScanButton"
                text: qsTr("Receive by QR")
                implicitHeight: Theme.touch
                onClicked: page.relayScanRequested()
            }
            Button {
                objectName: "refresh"
                text: qsTr("Refresh")
                highlighted: true
                implicitHeight: Theme.touch
                enabled: !page.camat.refreshing
                onClicked: page.camat.refresh()
            }
        }
        ProblemBox {
            objectName: "refreshError"
            text: page.camat.problemText ? qsTr("Could not refresh.") + " " + page.camat.problemText
                                           + (page.camat.fetchedAt ? " " + qsTr("Shown: the state as of %1.").arg(page.camat.fetchedAt) : "")
                                         : ""
            Layout.fillWidth: true
        }
        Flow {
            Layout.fillWidth: true
            spacing: 8
            Repeater {
                model: page.camat.filters
                delegate: Button {
                    required property var modelData
                    objectName: "filter:" + (modelData.key || "all")
                    text: modelData.label + " (" + modelData.count + ")"
                    checkable: true
                    checked: page.camat.filtered.status === modelData.status
                    implicitHeight: Theme.touch
                    onClicked: page.camat.filtered.status = modelData.status
                }
            }
        }
        ListView {
            id: list
            objectName: "statusList"
            Layout.fillWidth: true; Layout.fillHeight: true
            clip: true
            model: page.camat.filtered
            section.property: "desa"
            section.delegate: Label {
                required property string section
                text: section
                font.bold: true; font.pixelSize: 22
                topPadding: 12; bottomPadding: 4
            }
            delegate: ItemDelegate {
                id: row
                required property string tps
                required property string name
                required property int status
                required property string statusLabel
                required property int received
                required property int expected
                required property int queue
                required property string lastSeen
                required property string sendBack
                objectName: "tps:" + tps
                width: ListView.view.width
                implicitHeight: Math.max(Theme.touch, content.implicitHeight + 16)
                onClicked: page.tpsOpened(row.tps)
                contentItem: GridLayout {
                    id: content
                    columns: row.width > 1000 ? 5 : 3
                    columnSpacing: 12; rowSpacing: 2
                    Label { text: row.name; font.bold: true; Layout.preferredWidth: 110 }
                    StateBadge { objectName: "status:" + row.tps; label: row.statusLabel; tint: Theme.tpsColor(row.status) }
                    Label { text: qsTr("%1 of %2 sheets").arg(row.received).arg(row.expected); Layout.fillWidth: true; elide: Text.ElideRight }
                    Label {
                        text: row.queue > 0 ? qsTr("%n still on the tablet", "", row.queue) : ""
                        color: Theme.warning
                    }
                    Label {
                        text: row.lastSeen ? qsTr("last seen %1").arg(row.lastSeen) : ""
                        color: Theme.muted; font.pixelSize: Theme.small
                        Layout.columnSpan: content.columns === 5 ? 1 : 2
                        elide: Text.ElideRight; Layout.fillWidth: content.columns !== 5
                    }
                    // The desk sent a sheet back: the camat can chase the TPS about it.
                    Label {
                        objectName: "sendBack:" + row.tps
                        visible: row.sendBack !== ""
                        text: "\u26a0 " + qsTr("Needs correction: %1").arg(row.sendBack)
                        color: Theme.warning; font.bold: true
                        wrapMode: Text.WordWrap; maximumLineCount: 2; elide: Text.ElideRight
                        Layout.columnSpan: content.columns; Layout.fillWidth: true
                    }
                }
            }
        }
    }
}
