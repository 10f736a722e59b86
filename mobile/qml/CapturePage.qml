import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia
import Rekap.Tablet

// The plano photo: camera preview, shutter, the picture as it will be sent (scaled and
// compressed), retake or use it. Without a camera, or for a photo taken before, the picker.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property PhotoCapture photos
    required property SheetEditor editor
    signal pickerRequested()
    signal done()
    objectName: "capturePage"

    readonly property bool captured: photos.capturedUrl.length > 0

    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: qsTr("Photo of the C.Hasil plano")
        onBackClicked: { page.photos.retake(); page.StackView.view.pop() }
    }

    required property bool hasCamera
    // Only a tablet with a camera gets a capture session (without one, GStreamer would show
    // its test pattern). Frames reach the preview's video sink either way.
    readonly property bool cameraWanted: page.hasCamera && !page.captured
                                         && page.StackView.status === StackView.Active
    readonly property Camera camera: session.item ? session.item.camera : null
    Loader {
        id: session
        active: page.hasCamera
        sourceComponent: CaptureSession {
            camera: Camera { objectName: "camera"; active: page.cameraWanted; focusMode: Camera.FocusModeAuto }
            videoOutput: preview
        }
    }

    ColumnLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        spacing: 12
        Label {
            text: page.captured ? qsTr("Is every number readable? Use it, or take it again.")
                                : qsTr("Photograph the whole plano, straight on, in good light.")
            wrapMode: Text.WordWrap; Layout.fillWidth: true
        }
        Rectangle {
            color: "black"
            Layout.fillWidth: true; Layout.fillHeight: true
            VideoOutput {
                id: preview
                objectName: "preview"
                anchors.fill: parent
                visible: !page.captured
                fillMode: VideoOutput.PreserveAspectFit
            }
            Image {
                objectName: "captured"
                anchors.fill: parent
                visible: page.captured
                source: page.photos.capturedUrl
                fillMode: Image.PreserveAspectFit
                asynchronous: true
            }
            Label {
                anchors.centerIn: parent
                width: parent.width - 48
                visible: !page.hasCamera && !page.photos.hasFrame && !page.captured
                text: qsTr("No camera on this tablet. Choose a photo taken before.")
                color: "white"; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
            }
        }
        Label {
            objectName: "capturedSize"
            visible: page.captured
            text: qsTr("%1 \u00d7 %2 pixels, %3 KB to send").arg(page.photos.capturedSize.width)
                  .arg(page.photos.capturedSize.height).arg(Math.round(page.photos.capturedBytes / 1024))
            color: Theme.muted; font.pixelSize: Theme.small
        }
        ProblemBox { text: page.photos.problemText; Layout.fillWidth: true }
        ProblemBox { text: page.editor.lastError; Layout.fillWidth: true }
        Flow {
            Layout.fillWidth: true
            spacing: 12
            Button {
                objectName: "shutter"
                visible: !page.captured
                text: qsTr("Take the photo")
                highlighted: true
                enabled: page.photos.hasFrame
                implicitHeight: Theme.touch; implicitWidth: 260
                onClicked: page.photos.capture()
            }
            Button {
                objectName: "retake"
                visible: page.captured
                text: qsTr("Take it again")
                implicitHeight: Theme.touch
                onClicked: page.photos.retake()
            }
            Button {
                objectName: "usePhoto"
                visible: page.captured
                text: qsTr("Use this photo")
                highlighted: true
                implicitHeight: Theme.touch; implicitWidth: 260
                onClicked: {
                    if (page.editor.attachPhoto(page.photos.capturedFile)) {
                        page.photos.retake()
                        page.done()
                    }
                }
            }
            Button {
                objectName: "pickerButton"
                visible: !page.captured
                text: qsTr("Choose a photo taken before")
                flat: !(!page.hasCamera && !page.photos.hasFrame)
                highlighted: !page.hasCamera && !page.photos.hasFrame
                implicitHeight: Theme.touch
                onClicked: page.pickerRequested()
            }
        }
    }

    Component.onCompleted: page.photos.videoSink = preview.videoSink
}
