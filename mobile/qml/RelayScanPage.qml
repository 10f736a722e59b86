// Not "pragma ComponentBehavior: Bound": in Qt 6.4 a Loader cannot create a bound inline
// component ("Cannot instantiate bound component outside its creation context"), and the
// camera's capture session below is one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia
import Rekap.Tablet

// The QR relay, camat's side: scan the codes an operator's tablet shows (Send by QR), in any
// order, each once or more; the sheets they carry go to the receiver with this tablet's next sync.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property QrScanner scanner
    required property RelayInbox relayInbox
    objectName: "relayScanPage"
    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: qsTr("Receive by QR")
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

    GridLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        columns: page.width > page.height ? 2 : 1
        columnSpacing: 24; rowSpacing: 12
        Rectangle {
            color: "black"
            Layout.fillWidth: true; Layout.fillHeight: true
            Layout.minimumHeight: 240
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
                text: qsTr("This tablet has no camera: it cannot receive by QR.")
                color: "white"; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
            }
            // The frame to aim with, only where there is a picture to aim at (over the
            // no-camera message it would cross the words).
            Rectangle {
                objectName: "aimFrame"
                visible: page.hasCamera || page.scanner.hasFrame
                anchors.centerIn: parent
                width: Math.min(parent.width, parent.height) * 0.7; height: width
                color: "transparent"; border.color: "white"; border.width: 3; radius: 12
            }
        }
        ColumnLayout {
            // Beside the camera in landscape (a fixed share), under it in portrait.
            Layout.fillWidth: page.width <= page.height; Layout.fillHeight: true
            Layout.preferredWidth: page.width > page.height ? page.width * 0.45 : -1
            spacing: 12
            Label {
                text: qsTr("Point the camera at the operator's tablet showing Send by QR. Codes already read are skipped.")
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                objectName: "relayMessage"
                visible: text !== "" && !page.relayInbox.messageIsError
                text: page.relayInbox.messageIsError ? "" : page.relayInbox.message
                font.bold: true; wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            ProblemBox {
                objectName: "relayError"
                text: page.relayInbox.messageIsError ? page.relayInbox.message : ""
                Layout.fillWidth: true
            }
            ProgressBar {
                objectName: "relayProgress"
                visible: page.relayInbox.seriesCodes > 0
                from: 0; to: Math.max(1, page.relayInbox.seriesCodes)
                value: page.relayInbox.scannedCodes
                Layout.fillWidth: true
            }
            Label {
                objectName: "relayQueued"
                text: page.relayInbox.queued > 0
                      ? qsTr("%n sheet(s) wait to be forwarded: they go with the next sync.", "", page.relayInbox.queued)
                      : (page.relayInbox.count > 0 ? qsTr("Every sheet received was forwarded.") : "")
                color: Theme.muted; wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Button {
                objectName: "relayForward"
                text: qsTr("Forward now")
                highlighted: true
                enabled: page.relayInbox.queued > 0 && !page.sync.syncing
                implicitHeight: Theme.touch; Layout.fillWidth: true
                onClicked: page.sync.syncNow()
            }
            ListView {
                objectName: "relayList"
                Layout.fillWidth: true; Layout.fillHeight: true
                Layout.minimumHeight: 120
                clip: true; spacing: 6
                model: page.relayInbox
                delegate: Pane {
                    id: row
                    required property string revision
                    required property string tps
                    required property string contest
                    required property string statusKey
                    required property int status
                    required property string label
                    required property string error
                    objectName: "relayed:" + revision
                    width: ListView.view.width
                    padding: 10
                    background: Rectangle { radius: 8; color: Theme.surface; border.color: Theme.line }
                    ColumnLayout {
                        width: parent.width
                        RowLayout {
                            Layout.fillWidth: true
                            Label {
                                text: qsTr("TPS %1").arg(row.tps.slice(-3)) + " \u00b7 " + row.contest
                                font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true
                            }
                            StateBadge { label: row.label; tint: Theme.sheetColor(row.status) }
                        }
                        Label {
                            visible: row.error !== ""
                            text: row.error
                            color: Theme.error; font.pixelSize: Theme.small
                            wrapMode: Text.WordWrap; Layout.fillWidth: true
                        }
                    }
                }
            }
        }
    }

    Component.onCompleted: {
        page.scanner.videoSink = preview.videoSink
        page.scanner.active = true
    }
    Component.onDestruction: page.scanner.active = false
    Connections {
        target: page.scanner
        function onFound(text) { page.relayInbox.scan(text) }
    }
}
