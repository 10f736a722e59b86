import QtQuick
import QtQuick.Controls

Label {
    id: badge
    required property string state
    text: StateNames.label(state)
    color: "white"
    font.bold: true
    leftPadding: 12; rightPadding: 12; topPadding: 4; bottomPadding: 4
    background: Rectangle { radius: 14; color: Theme.stateColor(badge.state) }
}
