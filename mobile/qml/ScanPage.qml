import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia
import Rekap.Tablet

// Scanning the desk's enrolment QR code: the camera's frames go to the preview and, through its
// video sink, to the scanner; a code read enrols the tablet.
Page {
    id: page
    required property Settings settings
    required property Enrolment enrolment
    required property SyncService sync
    required property QrScanner scanner
    objectName: "scanPage"

    header: AppHeader {
        settings: page.settings; sync: page.sync; enrolled: false; back: true
        title: qsTr("Scan the enrolment code")
        onBackClicked: page.StackView.view.pop()
    }

    required property bool hasCamera
    // Only a tablet with a camera gets a capture session (without one, GStreamer would show
    // its test pattern). Frames reach the preview's video sink either way.
    readonly property bool cameraWanted: page.hasCamera && page.StackView.status === StackView.Active
    readonly property Camera camera: session.item ? session.item.camera : null
    Loader {
        id: session
        active: page.hasCamera
        sourceComponent: CaptureSession {
            camera: Camera { objectName: "camera"; active: page.cameraWanted }
            videoOutput: preview
        }
    }

    ColumnLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        spacing: 12
        Label {
            text: qsTr("Hold the slip from the desk in front of the camera, so that the QR code fills the frame.")
            wrapMode: Text.WordWrap; Layout.fillWidth: true
        }
        Rectangle {
            color: "black"
            Layout.fillWidth: true; Layout.fillHeight: true
            VideoOutput {
                id: preview
                objectName: "preview"
                anchors.fill: parent
                fillMode: VideoOutput.PreserveAspectFit
            }
            Label {
                anchors.centerIn: parent
                width: parent.width - 48
                visible: !page.hasCamera && !page.scanner.hasFrame
                text: qsTr("This tablet has no camera. Go back and type the address and the code.")
                color: "white"; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
            }
            // The frame to aim with, only where there is a picture to aim at (over the
            // no-camera message it would cross the words).
            Rectangle {
                objectName: "aimFrame"
                visible: page.hasCamera || page.scanner.hasFrame
                anchors.centerIn: parent
                width: Math.min(parent.width, parent.height) * 0.6; height: width
                color: "transparent"; border.color: "white"; border.width: 3; radius: 12
            }
        }
        BusyIndicator { running: page.enrolment.busy; visible: running; Layout.alignment: Qt.AlignHCenter }
        ProblemBox { objectName: "scanError"; text: page.enrolment.problemText; Layout.fillWidth: true }
    }

    Component.onCompleted: {
        page.scanner.videoSink = preview.videoSink
        page.scanner.active = true
    }
    Component.onDestruction: page.scanner.active = false
    Connections {
        target: page.scanner
        function onFound(text) {
            if (!page.enrolment.busy)
                page.enrolment.enrolWithLink(text)
        }
    }
    Connections {
        target: page.enrolment
        // A failed code can be scanned again once the operator has a new slip.
        function onFinished(ok) { if (!ok) { page.scanner.active = false; page.scanner.active = true } }
    }
}
