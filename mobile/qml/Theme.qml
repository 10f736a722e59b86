pragma Singleton
import QtQuick

// High contrast for sunlight, big touch targets for fingers.
QtObject {
    readonly property color background: "#ffffff"
    readonly property color text: "#111111"
    readonly property color muted: "#4a4a4a"
    readonly property color line: "#9e9e9e"
    readonly property color accent: "#0b57d0"
    readonly property color ok: "#146c2e"
    readonly property color warning: "#8a5a00"
    readonly property color error: "#b3261e"
    readonly property color errorBackground: "#fde7e7"
    readonly property color header: "#0d2b45"
    readonly property int fontSize: 20
    readonly property int touch: 56

    function stateColor(state) {
        switch (state) {
        case "accepted": return ok
        case "conflict": case "rejected": return error
        case "queued": case "sent": case "sending": case "draft": case "on_device": return warning
        case "superseded": return "#6a1b9a"
        default: return muted
        }
    }
}
