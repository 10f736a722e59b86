import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtMultimedia
import Rekap.Tablet

// The app's window: the services built in main(), and navigation between the screens.
ApplicationWindow {
    id: window
    required property Settings settings
    required property Enrolment enrolment
    required property SyncService sync
    required property SheetsModel sheets
    required property OutboxModel outbox
    required property CamatModel camat
    required property PhotoCapture photos
    required property QrScanner scanner
    required property RelayCodes relayCodes
    required property RelayInbox relayInbox
    required property SecondReading reading
    // Whether the tablet has a camera: the scanning and photo pages create a capture session only
    // then (without one, GStreamer would show its test pattern). Tests set it to open those pages
    // as on a tablet with a camera.
    MediaDevices { id: devices }
    property bool hasCamera: devices.videoInputs.length > 0
    width: 1280
    height: 800
    visible: true
    title: qsTr("Rekap - C.Hasil capture")
    color: Theme.background
    font.pixelSize: Theme.fontSize
    Material.theme: Material.Light
    Material.primary: Theme.header
    Material.accent: Theme.accent

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        initialItem: window.enrolment.enrolled ? (window.enrolment.camat ? camatPage : overviewPage) : enrolPage
    }

    Component {
        id: enrolPage
        EnrolPage {
            settings: window.settings; enrolment: window.enrolment; sync: window.sync
            onScanRequested: window.showScan()
        }
    }
    Component {
        id: scanPage
        ScanPage {
            settings: window.settings; enrolment: window.enrolment; sync: window.sync; scanner: window.scanner
            hasCamera: window.hasCamera
        }
    }
    Component {
        id: overviewPage
        OverviewPage {
            settings: window.settings; enrolment: window.enrolment; sync: window.sync; sheets: window.sheets
            onSheetOpened: (contest) => window.showSheet(contest)
            onCorrectionOpened: (contest) => window.showCorrection(contest)
            onOutboxOpened: window.showOutbox()
        }
    }
    Component {
        id: sheetPage
        SheetPage {
            settings: window.settings; sync: window.sync
            onReviewRequested: window.showReview()
            onPhotoRequested: window.showCapture()
        }
    }
    Component {
        id: reviewPage
        ReviewPage {
            settings: window.settings; sync: window.sync
            onPhotoRequested: window.showCapture()
            // A reading goes back to its page, which shows what the receiver made of it.
            onFinalized: stack.pop(window.editor && window.editor.reading ? window.readingItem : null,
                                   window.animate ? StackView.PopTransition : StackView.Immediate)
        }
    }
    Component {
        id: capturePage
        CapturePage {
            settings: window.settings; sync: window.sync; photos: window.photos; hasCamera: window.hasCamera
            onPickerRequested: window.showPicker()
            onDone: window.back()
        }
    }
    Component {
        id: pickerPage
        PickerPage {
            settings: window.settings; sync: window.sync; photos: window.photos
            onPicked: window.back()
        }
    }
    Component {
        id: outboxPage
        OutboxPage {
            settings: window.settings; sync: window.sync; outbox: window.outbox; relayCodes: window.relayCodes
            onRelayRequested: window.showRelay()
        }
    }
    Component {
        id: relayShowPage
        RelayShowPage { settings: window.settings; sync: window.sync; relayCodes: window.relayCodes }
    }
    Component {
        id: relayScanPage
        RelayScanPage {
            settings: window.settings; sync: window.sync; scanner: window.scanner; relayInbox: window.relayInbox
            hasCamera: window.hasCamera
        }
    }
    Component {
        id: camatPage
        CamatPage {
            settings: window.settings; enrolment: window.enrolment; sync: window.sync; camat: window.camat
            onTpsOpened: (tps) => window.showTps(tps)
            onRelayScanRequested: window.showRelayScan()
            onReadingRequested: window.showReading()
        }
    }
    Component {
        id: readingPage
        ReadingPage {
            settings: window.settings; sync: window.sync; reading: window.reading
            onTypeRequested: window.showEditor(window.reading.editor)
        }
    }
    Component {
        id: camatTpsPage
        CamatTpsPage { settings: window.settings; sync: window.sync; camat: window.camat }
    }

    // The editor of the sheet on screen (the sheet, its review and its photo share it).
    property SheetEditor editor: null
    // Tests turn the page transitions off, so that a page is where it ends up at once.
    property bool animate: true
    readonly property int transition: animate ? StackView.PushTransition : StackView.Immediate

    function showSheet(contest) {
        editor = sheets.open(contest)
        return stack.push(sheetPage, { editor: editor }, transition)
    }
    /// A sheet the desk sent back: its page with the correction begun (a sheet already being
    /// corrected, or never sent, opens as it is).
    function showCorrection(contest) {
        const item = showSheet(contest)
        if (editor && editor.readOnly)
            editor.startCorrection()
        return item
    }
    /// The sheet page of an editor already open (a second reading's).
    function showEditor(e) {
        editor = e
        return stack.push(sheetPage, { editor: editor }, transition)
    }
    function showReview() { return stack.push(reviewPage, { editor: editor }, transition) }
    function showCapture() { return stack.push(capturePage, { editor: editor }, transition) }
    function showPicker() { return stack.push(pickerPage, {}, transition) }
    function showOutbox() { return stack.push(outboxPage, {}, transition) }
    function showScan() { return stack.push(scanPage, {}, transition) }
    function showRelay() { return stack.push(relayShowPage, {}, transition) }
    function showRelayScan() { return stack.push(relayScanPage, {}, transition) }
    function showTps(tps) { return stack.push(camatTpsPage, { tps: tps }, transition) }
    property Item readingItem: null
    /// The camat's second reading: claims the next sheet unless one is being read.
    function showReading() {
        if (reading.state !== ReadingState.Ready && reading.state !== ReadingState.Sending && reading.state !== ReadingState.Claiming)
            reading.claimNext()
        readingItem = stack.push(readingPage, {}, transition)
        return readingItem
    }
    function home() {
        stack.replace(null, enrolment.enrolled ? (enrolment.camat ? camatPage : overviewPage) : enrolPage,
                      {}, animate ? StackView.ReplaceTransition : StackView.Immediate)
        return stack.currentItem
    }
    function current() { return stack.currentItem }
    function back() { stack.pop(animate ? StackView.PopTransition : StackView.Immediate); return stack.currentItem }

    Connections {
        target: window.enrolment
        function onFinished(ok) { if (ok) window.home() }
    }
}
