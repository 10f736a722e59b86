import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// The camat's second reading (docs/second-reading.md): the next sheet of the kecamatan that
// waits for one, its place and its plano photo (zoomable); "Type the numbers" opens the
// operator's form with every box blank, never the first entry's numbers. Once sent, what the
// receiver made of it: verified, or "beda bacaan" for the desk to decide.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property SecondReading reading
    signal typeRequested()
    objectName: "readingPage"

    readonly property int st: page.reading.state
    readonly property bool hasSheet: st === ReadingState.Ready || st === ReadingState.Sending || st === ReadingState.Verified
                                     || st === ReadingState.Differs || st === ReadingState.Rejected || st === ReadingState.Refused
    property real zoom: 1

    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: qsTr("Second reading")
        onBackClicked: page.StackView.view.pop()
    }

    GridLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        columns: page.width > page.height ? 2 : 1
        columnSpacing: 16; rowSpacing: 12

        // The plano photo, as large as the page allows; + and - zoom, a finger drags.
        Rectangle {
            visible: page.hasSheet
            color: Theme.computed; radius: 4
            Layout.fillWidth: true; Layout.fillHeight: true
            Layout.minimumHeight: 200
            Flickable {
                id: photoFlick
                objectName: "photoFlick"
                anchors.fill: parent; anchors.margins: 2
                clip: true
                contentWidth: Math.max(width, width * page.zoom)
                contentHeight: Math.max(height, height * page.zoom)
                Image {
                    objectName: "readingPhoto"
                    width: photoFlick.contentWidth; height: photoFlick.contentHeight
                    source: page.reading.photoUrl
                    fillMode: Image.PreserveAspectFit
                    sourceSize.width: 2048
                    asynchronous: true
                }
            }
            Row {
                anchors.right: parent.right; anchors.bottom: parent.bottom; anchors.margins: 8
                spacing: 8
                Button {
                    objectName: "zoomOut"
                    text: "\u2212"
                    implicitWidth: Theme.touch; implicitHeight: Theme.touch
                    enabled: page.zoom > 1
                    onClicked: page.zoom = Math.max(1, page.zoom / 1.5)
                }
                Button {
                    objectName: "zoomIn"
                    text: "+"
                    implicitWidth: Theme.touch; implicitHeight: Theme.touch
                    enabled: page.zoom < 5
                    onClicked: page.zoom = Math.min(5, page.zoom * 1.5)
                }
            }
        }

        ColumnLayout {
            spacing: 12
            Layout.fillWidth: page.width <= page.height || !page.hasSheet
            Layout.fillHeight: !page.hasSheet
            Layout.preferredWidth: page.width > page.height && page.hasSheet ? 420 : -1
            Layout.alignment: Qt.AlignTop

            // Who reads: asked here, where readings start, since the receiver never offers a
            // reader the sheets they entered themselves and refuses their reading of one.
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Label { text: qsTr("Read by") }
                TextField {
                    objectName: "readerName"
                    text: page.settings.operatorName
                    placeholderText: qsTr("Your name")
                    enabled: page.st !== ReadingState.Sending && page.st !== ReadingState.Claiming
                    implicitHeight: Theme.touch
                    Layout.fillWidth: true
                    onEditingFinished: page.settings.operatorName = text.trim()
                }
            }
            Label {
                objectName: "place"
                visible: page.hasSheet
                text: page.reading.claim.tpsName !== undefined
                      ? page.reading.claim.tpsName + " \u00b7 " + page.reading.claim.desaName : ""
                font.bold: true; font.pixelSize: Theme.fontSize + 4
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                objectName: "contest"
                visible: page.hasSheet
                text: page.reading.claim.contestName !== undefined ? page.reading.claim.contestName : ""
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                objectName: "readingHint"
                visible: page.st === ReadingState.Ready
                text: qsTr("Type every number from the photo. The first entry is not shown: your reading is compared with it at the receiver.")
                wrapMode: Text.WordWrap; color: Theme.muted; Layout.fillWidth: true
            }
            Label {
                objectName: "busy"
                visible: page.st === ReadingState.Claiming || page.st === ReadingState.Sending
                text: page.st === ReadingState.Claiming ? qsTr("Looking for the next sheet\u2026")
                                             : qsTr("Sending the reading\u2026 It goes as soon as there is a signal.")
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            BusyIndicator {
                running: page.st === ReadingState.Claiming || page.st === ReadingState.Sending
                visible: running
                implicitWidth: 48; implicitHeight: 48
            }
            Label {
                objectName: "nothingToRead"
                visible: page.st === ReadingState.None
                // Why nothing: the receiver offers only sheets with their photo, and never one
                // entered under the reader's own name.
                text: qsTr("No sheet of the kecamatan waits for a second reading by %1 now.").arg(page.reading.reader || qsTr("this reader"))
                      + " " + qsTr("A sheet is offered once its plano photo has arrived, and never to whoever entered it. If that is you, another reader types it: change the name above and look again.")
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            ProblemBox {
                objectName: "readerNameError"
                text: page.st === ReadingState.BadName ? qsTr("This name mixes letters of different scripts (for example Latin and Cyrillic). Type it again in one script.") : ""
                Layout.fillWidth: true
            }
            ProblemBox {
                objectName: "claimError"
                text: page.st === ReadingState.Failed ? qsTr("Could not get a sheet.") + " " + page.reading.problemText : ""
                Layout.fillWidth: true
            }
            Label {
                objectName: "outcome"
                visible: page.st === ReadingState.Verified || page.st === ReadingState.Differs || page.st === ReadingState.Rejected || page.st === ReadingState.Refused
                text: page.st === ReadingState.Verified ? qsTr("Verified")
                    : page.st === ReadingState.Differs ? qsTr("Readings differ")
                    : page.st === ReadingState.Rejected ? qsTr("Rejected by the rules")
                    : page.st === ReadingState.Refused ? qsTr("Refused by the receiver") : ""
                color: page.st === ReadingState.Verified ? Theme.ok : Theme.error
                font.bold: true; font.pixelSize: Theme.fontSize + 10
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Label {
                objectName: "outcomeText"
                visible: outcomeText.text.length > 0
                id: outcomeText
                text: page.st === ReadingState.Verified ? qsTr("Your reading equals the first entry: the sheet is verified by second reading.")
                    : page.st === ReadingState.Differs ? qsTr("Your reading differs from the first entry. The desk compares both with the photo and decides; until then the first entry counts.")
                    : page.st === ReadingState.Rejected ? qsTr("The receiver kept the reading as rejected: it breaks a consistency rule.")
                    : page.st === ReadingState.Refused ? qsTr("The receiver did not take the reading. Its reason:") : ""
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            ProblemBox {
                objectName: "outcomeReason"
                text: (page.st === ReadingState.Refused || page.st === ReadingState.Rejected) ? page.reading.reason : ""
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Item { Layout.fillHeight: true }
            Button {
                objectName: "typeButton"
                visible: page.st === ReadingState.Ready
                text: qsTr("Type the numbers")
                highlighted: true
                Layout.fillWidth: true; implicitHeight: 64
                onClicked: page.typeRequested()
            }
            Button {
                objectName: "nextButton"
                visible: page.st === ReadingState.Verified || page.st === ReadingState.Differs || page.st === ReadingState.Rejected
                         || page.st === ReadingState.Refused || page.st === ReadingState.None || page.st === ReadingState.Failed
                         || page.st === ReadingState.BadName
                text: page.st === ReadingState.None || page.st === ReadingState.Failed || page.st === ReadingState.BadName ? qsTr("Look again") : qsTr("Read the next sheet")
                highlighted: true
                Layout.fillWidth: true; implicitHeight: 64
                onClicked: { page.zoom = 1; page.reading.claimNext() }
            }
        }
    }
}
