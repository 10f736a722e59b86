import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// Enrolling once: scan the desk's QR code, or type the address and the code from the slip.
Page {
    id: page
    required property Settings settings
    required property Enrolment enrolment
    required property SyncService sync
    signal scanRequested()
    objectName: "enrolPage"

    header: AppHeader { settings: page.settings; sync: page.sync; enrolled: false; title: qsTr("Enrol this tablet") }

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight + 48
        clip: true
        ColumnLayout {
            id: column
            x: Math.max(24, (parent.width - width) / 2); y: 24
            width: Math.min(page.width - 48, 680)
            spacing: 16
            Label {
                text: qsTr("You do this once, with the slip from the desk. After that the tablet works without signal.")
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Button {
                objectName: "scanButton"
                text: qsTr("Scan the QR code on the slip")
                highlighted: true
                enabled: !page.enrolment.busy
                Layout.fillWidth: true; implicitHeight: 72
                font.pixelSize: 22
                onClicked: page.scanRequested()
            }
            Label { text: qsTr("Or type what the slip says:"); font.bold: true; Layout.topMargin: 16 }
            Label { text: qsTr("Receiver address") }
            TextField {
                id: server; objectName: "server"
                Layout.fillWidth: true; implicitHeight: Theme.touch
                placeholderText: "https://rekap.kab.go.id"
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                onTextEdited: page.enrolment.clearProblem()
            }
            Label { text: qsTr("One-time code") }
            TextField {
                id: code; objectName: "code"
                Layout.fillWidth: true; implicitHeight: Theme.touch
                font.pixelSize: 26; font.letterSpacing: 2
                placeholderText: "K7QM-4XPD-93TA"
                inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText
                onTextEdited: page.enrolment.clearProblem()
            }
            Button {
                objectName: "enrolButton"
                text: page.enrolment.busy ? qsTr("Enrolling...") : qsTr("Enrol")
                enabled: !page.enrolment.busy && server.text.length > 0 && code.text.length > 0
                Layout.fillWidth: true; implicitHeight: Theme.touch
                onClicked: page.enrolment.enrol(server.text, code.text)
            }
            BusyIndicator { running: page.enrolment.busy; visible: running; Layout.alignment: Qt.AlignHCenter }
            ProblemBox { objectName: "enrolError"; text: page.enrolment.problemText; Layout.fillWidth: true }
        }
    }
}
