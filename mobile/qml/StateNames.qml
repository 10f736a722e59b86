pragma Singleton
import QtQuick

QtObject {
    function label(state) {
        switch (state) {
        case "empty": return qsTr("empty")
        case "draft": return qsTr("draft")
        case "queued": return qsTr("queued")
        case "sending": case "sent": return qsTr("sent")
        case "accepted": return qsTr("accepted")
        case "conflict": return qsTr("conflict")
        case "rejected": return qsTr("rejected")
        case "superseded": return qsTr("superseded")
        case "not_received": return qsTr("not received")
        case "on_device": return qsTr("on device")
        default: return state
        }
    }
}
