pragma Singleton
import QtQuick
import Rekap.Tablet

// High contrast for sunlight, big touch targets for fingers (48 dp at least).
QtObject {
    readonly property color background: "#ffffff"
    readonly property color surface: "#f3f5f8"
    readonly property color text: "#111111"
    readonly property color muted: "#4a4a4a"
    readonly property color line: "#8a8f98"
    readonly property color accent: "#0b57d0"
    readonly property color header: "#0d2b45"
    readonly property color ok: "#146c2e"
    readonly property color okBackground: "#e3f4e6"
    readonly property color error: "#b3261e"
    readonly property color errorBackground: "#fde7e7"
    // Warnings in amber, distinct from errors: an amber mark and fill, dark text for contrast.
    readonly property color warning: "#b45f00"
    readonly property color warningMark: "#ffb300"
    readonly property color warningBackground: "#fff4d6"
    readonly property color computed: "#e8eaee"
    readonly property color offline: "#ffd08a"
    readonly property color online: "#9be7ad"
    readonly property int fontSize: 20
    readonly property int small: 16
    readonly property int touch: 56
    readonly property int margin: 16

    function sheetColor(status) {
        switch (status) {
        case SheetState.Accepted: return ok
        case SheetState.Conflict: case SheetState.Rejected: return error
        case SheetState.Queued: case SheetState.Sending: return warning
        case SheetState.Draft: return accent
        case SheetState.Superseded: return "#6a1b9a"
        default: return muted
        }
    }
    function tpsColor(status) {
        switch (status) {
        case SheetState.Accepted: return ok
        case SheetState.Conflict: case SheetState.Rejected: return error
        case SheetState.OnDevice: case SheetState.Partial: return warning
        default: return muted
        }
    }
}
