import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

ApplicationWindow {
    id: window
    required property AppController app
    width: 1280
    height: 800
    visible: true
    title: qsTr("Rekap - C.Hasil capture")
    color: Theme.background
    font.pixelSize: Theme.fontSize

    StackView {
        id: navigation
        anchors.fill: parent
        initialItem: window.app.enrolled ? (window.app.camat ? camatPage : overviewPage) : enrolPage
    }

    Component { id: enrolPage; EnrolPage { app: window.app; onEnrolled: navigation.replace(null, window.app.camat ? camatPage : overviewPage) } }
    Component { id: overviewPage; OverviewPage { app: window.app; stack: navigation } }
    Component { id: camatPage; CamatPage { app: window.app } }
    Component { id: sheetPage; SheetPage { app: window.app; stack: navigation } }
    Component { id: reviewPage; ReviewPage { app: window.app; stack: navigation } }
    Component { id: outboxPage; OutboxPage { app: window.app; stack: navigation } }

    // Navigation for scripted runs (screenshots) and tests.
    function showSheet(contest) {
        const editor = app.openSheet(contest)
        navigation.push(sheetPage, { editor: editor })
        return editor
    }
    function showReview() { navigation.push(reviewPage, { editor: navigation.currentItem.editor }) }
    function showOutbox() { navigation.push(outboxPage) }
    function home() { navigation.replace(null, app.enrolled ? (app.camat ? camatPage : overviewPage) : enrolPage) }

    Component.onCompleted: if (app.enrolled) app.startAutoSync()
}
