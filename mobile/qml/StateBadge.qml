import QtQuick
import QtQuick.Controls

// A state as a coloured pill: the word and the colour say the same thing.
Label {
    id: badge
    required property string label
    required property color tint
    text: label
    color: "white"
    font.bold: true
    font.pixelSize: Theme.small
    leftPadding: 12; rightPadding: 12; topPadding: 4; bottomPadding: 4
    background: Rectangle { radius: height / 2; color: badge.tint }
}
