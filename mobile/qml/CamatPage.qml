pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// The camat's view: which TPS of the kecamatan reported, which still sit on a device, which
// conflict or were rejected. Offline it shows the last state fetched and when.
Page {
    id: page
    required property AppController app
    objectName: "camatPage"
    header: AppHeader { app: page.app; title: qsTr("Kecamatan %1").arg(page.app.scopeName) }

    ColumnLayout {
        anchors.fill: parent; anchors.margins: 20; spacing: 12
        RowLayout {
            Layout.fillWidth: true
            Label {
                objectName: "fetchedAt"
                text: page.app.statusFetchedAt ? qsTr("State as of %1").arg(page.app.statusFetchedAt) : qsTr("Not fetched yet")
                Layout.fillWidth: true
            }
            Button { objectName: "refresh"; text: qsTr("Refresh"); highlighted: true; implicitHeight: Theme.touch; enabled: !page.app.busy; onClicked: page.app.refreshStatus() }
        }
        Flow {
            Layout.fillWidth: true; spacing: 8
            Repeater {
                model: [["", qsTr("All")], ["not_received", StateNames.label("not_received")], ["on_device", StateNames.label("on_device")],
                        ["accepted", StateNames.label("accepted")], ["conflict", StateNames.label("conflict")], ["rejected", StateNames.label("rejected")]]
                delegate: Button {
                    required property var modelData
                    text: modelData[1]; checkable: true; implicitHeight: 48
                    checked: page.app.statusFilter === modelData[0]
                    onClicked: page.app.statusFilter = modelData[0]
                }
            }
        }
        ListView {
            id: list
            objectName: "statusList"
            Layout.fillWidth: true; Layout.fillHeight: true; clip: true
            model: page.app.statusGroups
            delegate: ColumnLayout {
                id: group
                required property var modelData
                width: list.width
                Label { text: group.modelData.desa; font.bold: true; font.pixelSize: 22; Layout.topMargin: 8 }
                Repeater {
                    model: group.modelData.tps
                    delegate: RowLayout {
                        required property var modelData
                        objectName: "tps:" + modelData.tps
                        Layout.fillWidth: true
                        Label { text: modelData.name; Layout.preferredWidth: 120 }
                        StateBadge { state: modelData.status; objectName: "status:" + parent.modelData.tps }
                        Label { text: qsTr("%1/%2 sheets").arg(modelData.sheets).arg(modelData.expected); color: Theme.muted }
                        Label { visible: modelData.queue > 0; text: qsTr("%n on the device", "", modelData.queue); color: Theme.warning }
                        Label { text: modelData.lastSeen ? qsTr("last seen %1").arg(modelData.lastSeen) : ""; color: Theme.muted; Layout.fillWidth: true }
                    }
                }
            }
        }
    }
}
