import QtQuick
import QtTest
import Rekap.Tablet

// What the tablet's tests share: the app's real window (Main.qml) for a simulated tablet,
// enrolment, typing a sheet, and looking for things on screen.
TestCase {
    id: tc
    when: windowShown
    // Any QML warning fails the test that caused it (tst_tablet.cpp): the trap goes on top of
    // QtTest's logger, which is installed as the first test case starts running.
    onRunningChanged: if (running) qmlWarnings.install()

    // The numbers of a real TPS (6306012001001, KPU's Sirekap snapshot) that pass every rule.
    readonly property var ppwp: ({
        "voters.from_dpt.l": 110, "voters.from_dpt.p": 123, "voters.from_dptb.l": 3,
        "voters.from_dptb.p": 3, "voters.from_dpk.l": 0, "voters.from_dpk.p": 0,
        "ballots.received": 297, "ballots.used": 239, "ballots.damaged": 0, "ballots.unused": 58,
        "disabled_voters.l": 1, "disabled_voters.p": 0,
        "votes.candidates.1": 119, "votes.candidates.2": 105, "votes.candidates.3": 9,
        "summary.valid": 233, "summary.invalid": 6 })
    readonly property string tps: "6306012001001"

    property Component appComponent: Component { Main {} }

    /// The app's window for `device` (landscape unless a size is given).
    function openApp(device, width, height) {
        const props = Object.assign({}, device.properties)
        if (width) { props.width = width; props.height = height }
        props.animate = false
        const win = appComponent.createObject(null, props)
        verify(win, "Main.qml loads")
        win.requestActivate()
        tryVerify(() => win.active, 5000, "the window takes the keyboard")
        waitForRendering(win.contentItem)
        return win
    }

    function enrol(device, role, area) {
        const spy = Qt.createQmlObject('import QtTest; SignalSpy { signalName: "finished" }', tc)
        spy.target = device.enrolment
        device.enrolment.enrol(fixture.url, fixture.mint(role, area))
        spy.wait(20000)
        verify(spy.signalArguments[0][0], device.enrolment.problemText)
        spy.destroy()
    }

    function waitFor(target, signalName, timeout) {
        const spy = Qt.createQmlObject('import QtTest; SignalSpy {}', tc)
        spy.target = target
        spy.signalName = signalName
        return spy
    }

    function fill(editor, values, except) {
        for (const f in values)
            if (!except || except.indexOf(f) < 0)
                verify(editor.setText(f, String(values[f])), f)
    }

    /// Scrolls a box of the sheet into view, taps it and types, as a finger and the on-screen
    /// keyboard would. Returns the box.
    function typeInto(page, field, text) {
        const box = findChild(page, "count:" + field)
        verify(box, field)
        const flick = findChild(page, "sheetFlick")
        const y = box.mapToItem(flick.contentItem, 0, 0).y
        if (y < flick.contentY || y + box.height > flick.contentY + flick.height)
            flick.contentY = Math.max(0, y - flick.height / 2)
        waitForRendering(page)
        mouseClick(box)
        verify(box.activeFocus, field + " takes focus")
        for (const ch of text)
            keyClick(ch)
        return box
    }
    /// Scrolls whatever scrolls an item into view, then taps it.
    function tap(item) {
        verify(item, "something to tap")
        waitForRendering(item) // laid out where it will be drawn
        for (let p = item.parent; p; p = p.parent) {
            if (p.flicking === undefined || p.contentItem === undefined) continue
            const y = item.mapToItem(p.contentItem, 0, 0).y
            if (y < p.contentY || y + item.height > p.contentY + p.height) {
                p.contentY = Math.max(0, Math.min(y - p.height / 2, p.contentHeight - p.height))
                waitForRendering(item)
            }
            break
        }
        mouseClick(item)
    }
    function clear(editor, fields) {
        for (const f of fields)
            verify(editor.setText(f, ""), f)
    }

    function activeFocusBox(win) {
        for (let i = win.activeFocusItem; i; i = i.parent)
            if (i.objectName && i.objectName.indexOf("count:") === 0)
                return i.objectName.substring(6)
        return ""
    }

    /// Every visible item under `item`: its rectangle in window coordinates, and the part of
    /// it that no clipping ancestor cuts away.
    function visibleItems(item, clip, out) {
        if (!out) out = []
        if (!item || !item.visible || item.opacity === 0) return out
        // Material's drop shadows reach past their control by design; they are not content.
        if (String(item).indexOf("ElevationEffect") === 0) return out
        const p = item.mapToItem(null, 0, 0)
        const x1 = Math.max(clip.x1, p.x), y1 = Math.max(clip.y1, p.y)
        const x2 = Math.min(clip.x2, p.x + item.width), y2 = Math.min(clip.y2, p.y + item.height)
        if (x2 > x1 && y2 > y1)
            out.push({ x1: x1, y1: y1, x2: x2, y2: y2, item: item })
        const c = item.clip ? { x1: x1, y1: y1, x2: x2, y2: y2 } : clip
        for (let i = 0; i < item.children.length; ++i)
            visibleItems(item.children[i], c, out)
        return out
    }

    /// Where a text item's words are drawn (not the whole item: a label may be wider).
    function textRect(r) {
        const it = r.item
        // Words that do not fit are drawn past the item's edge unless it elides them.
        const w = it.elide === Text.ElideNone ? it.contentWidth : Math.min(it.contentWidth, it.width)
        const h = Math.min(it.contentHeight, it.height)
        const p = it.mapToItem(null, 0, 0)
        let x = p.x
        if (it.horizontalAlignment === Text.AlignRight) x = p.x + it.width - w
        else if (it.horizontalAlignment === Text.AlignHCenter) x = p.x + (it.width - w) / 2
        let y = p.y
        if (it.verticalAlignment === Text.AlignBottom) y = p.y + it.height - h
        else if (it.verticalAlignment === Text.AlignVCenter) y = p.y + (it.height - h) / 2
        // Only what no clipping ancestor cuts away.
        return { x1: Math.max(x, r.x1), y1: Math.max(y, r.y1), x2: Math.min(x + w, r.x2), y2: Math.min(y + h, r.y2) }
    }

    /// Fails on anything drawn beyond the window's edges, words drawn over other words, a
    /// button whose words are cut or that is smaller than a finger. Returns how many items
    /// were checked. `root`: only what is under it (a dialog, drawn over the dimmed page).
    function checkFits(win, what, root) {
        const W = win.width, H = win.height
        const all = visibleItems(root || win.contentItem.parent, { x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 })
        for (const r of all) {
            const name = r.item.objectName || String(r.item)
            verify(r.x1 >= -1 && r.x2 <= W + 1 && r.y1 >= -1 && r.y2 <= H + 1,
                   what + ": " + name + " lies outside the window: x " + Math.round(r.x1) + ".."
                   + Math.round(r.x2) + " y " + Math.round(r.y1) + ".." + Math.round(r.y2)
                   + " of " + W + "x" + H)
            const it = r.item
            // Every button, tab, box to tick or row to tap: 48 px at least, for a finger.
            if (it.pressed !== undefined && it.checkable !== undefined && it.enabled)
                verify(it.height >= 47.5 && it.width >= 47.5,
                       what + ": " + (it.text || name) + " is " + Math.round(it.width) + "x"
                       + Math.round(it.height) + " px, too small for a finger")
            if (it.text !== undefined && it.implicitContentWidth !== undefined
                && it.availableWidth !== undefined && it.checkable !== undefined && it.text.length > 0)
                verify(it.implicitContentWidth <= it.availableWidth + 1,
                       what + ": button text cut: " + it.text)
        }
        const overlap = wordsOverlap(all)
        verify(overlap === "", what + ": " + overlap)
        return all.length
    }

    /// The first two words drawn over each other among `all` (visibleItems), or "".
    function wordsOverlap(all) {
        const texts = all.filter(r => r.item.contentWidth !== undefined && r.item.text !== undefined
                                      && r.item.font !== undefined && String(r.item.text).length > 0
                                      && r.item.contentWidth > 0).map(r => ({ r: textRect(r), item: r.item }))
        for (let i = 0; i < texts.length; ++i)
            for (let j = i + 1; j < texts.length; ++j) {
                const a = texts[i].r, b = texts[j].r
                if (Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 2
                        && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 2)
                    return "\"" + texts[i].item.text + "\" drawn over \"" + texts[j].item.text + "\""
            }
        return ""
    }

    /// Waits until a page just opened has laid out its lists: no words drawn over each other.
    function settled(win) {
        tryVerify(() => wordsOverlap(visibleItems(win.contentItem.parent,
                                                  { x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 })) === "",
                  5000, "the page's words still overlap after 5 s")
    }
}
