import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// The QR relay, operator's side: this tablet's queued sheets as a numbered series of QR codes
// for the camat's tablet to scan. They stay queued here until a sync says what became of them.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property RelayCodes relayCodes
    property int index: 0
    readonly property int count: page.relayCodes.count
    objectName: "relayShowPage"
    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: qsTr("Send by QR")
        onBackClicked: page.StackView.view.pop()
    }

    // Each code for a few seconds, round and round: the camat's tablet reads them in any
    // order and skips those it has.
    Timer {
        interval: 2500; repeat: true
        running: autoAdvance.checked && page.count > 1 && page.StackView.status === StackView.Active
        onTriggered: page.index = (page.index + 1) % page.count
    }
    Connections {
        target: page.relayCodes
        function onChanged() { page.index = Math.min(page.index, Math.max(0, page.count - 1)) }
    }

    GridLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        columns: page.width > page.height ? 2 : 1
        columnSpacing: 24; rowSpacing: 12
        Item {
            Layout.fillWidth: true; Layout.fillHeight: true
            Layout.minimumWidth: 200; Layout.minimumHeight: 200
            QrCode {
                id: code
                objectName: "relayCode"
                anchors.centerIn: parent
                width: Math.min(parent.width, parent.height); height: width
                text: page.count > 0 ? page.relayCodes.codes[page.index] : ""
                visible: page.count > 0
            }
            Label {
                anchors.centerIn: parent; width: parent.width
                visible: page.count === 0
                text: qsTr("Nothing is waiting to be sent.")
                horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            }
        }
        ColumnLayout {
            Layout.fillWidth: page.width <= page.height
            Layout.preferredWidth: page.width > page.height ? Math.min(420, page.width * 0.38) : -1
            Layout.alignment: Qt.AlignTop
            spacing: 12
            Label {
                objectName: "relayPosition"
                text: page.count > 0 ? qsTr("Code %1 of %2").arg(page.index + 1).arg(page.count) : ""
                font.pixelSize: Theme.fontSize * 1.6; font.bold: true
            }
            // The series carries the sheets, not each code: said so, lest a camat stop after one.
            Label {
                objectName: "relayCarries"
                visible: page.count > 0
                text: qsTr("Show all %1 codes, one after another, to the camat's tablet (Receive by QR). Together the %1 codes carry %n sheet(s), signed by this tablet: nobody on the way can change a number unseen.", "", page.relayCodes.sheets).arg(page.count)
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                text: qsTr("The sheets stay in this tablet's queue. Its next sync with a signal shows whether the receiver has them.")
                color: Theme.muted; font.pixelSize: Theme.small
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            ProblemBox { text: page.relayCodes.problemText; Layout.fillWidth: true }
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Button {
                    objectName: "relayPrevious"
                    text: qsTr("Previous")
                    enabled: page.count > 1
                    implicitHeight: Theme.touch; Layout.fillWidth: true
                    onClicked: { autoAdvance.checked = false; page.index = (page.index + page.count - 1) % page.count }
                }
                Button {
                    objectName: "relayNext"
                    text: qsTr("Next")
                    highlighted: true
                    enabled: page.count > 1
                    implicitHeight: Theme.touch; Layout.fillWidth: true
                    onClicked: { autoAdvance.checked = false; page.index = (page.index + 1) % page.count }
                }
            }
            Switch {
                id: autoAdvance
                objectName: "relayAuto"
                text: qsTr("Change code by itself")
                checked: true
                implicitHeight: Theme.touch
            }
        }
    }
    Component.onCompleted: page.relayCodes.refresh()
}
