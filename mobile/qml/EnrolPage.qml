import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

Page {
    id: page
    required property AppController app
    signal enrolled()
    objectName: "enrolPage"

    header: AppHeader { app: page.app; title: qsTr("Enrol this tablet") }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 640)
        spacing: 16
        Label {
            text: qsTr("Enter the receiver's address and the one-time code from the desk. You do this once; after that the tablet works without signal.")
            wrapMode: Text.WordWrap; Layout.fillWidth: true
        }
        Label { text: qsTr("Receiver address") }
        TextField {
            id: server; objectName: "server"
            Layout.fillWidth: true; implicitHeight: Theme.touch
            placeholderText: "https://rekap.kab.go.id"
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
        }
        Label { text: qsTr("One-time code") }
        TextField {
            id: code; objectName: "code"
            Layout.fillWidth: true; implicitHeight: Theme.touch
            font.pixelSize: 28; font.letterSpacing: 2
            placeholderText: "K7QM-4XPD-93TA"
            inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText
        }
        Button {
            objectName: "enrolButton"
            text: page.app.busy ? qsTr("Enrolling...") : qsTr("Enrol")
            enabled: !page.app.busy && server.text.length > 0 && code.text.length > 0
            Layout.fillWidth: true; implicitHeight: Theme.touch
            highlighted: true
            onClicked: page.app.enrol(server.text, code.text, qsTr("Tablet"))
        }
        BusyIndicator { running: page.app.busy; visible: running; Layout.alignment: Qt.AlignHCenter }
        Label { id: error; objectName: "enrolError"; color: Theme.error; wrapMode: Text.WordWrap; Layout.fillWidth: true }
    }

    Connections {
        target: page.app
        function onEnrolFinished(ok, message) {
            if (ok) page.enrolled()
            else error.text = qsTr("Enrolment failed: %1").arg(message)
        }
    }
}
