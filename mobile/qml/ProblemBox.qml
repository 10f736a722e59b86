import QtQuick
import QtQuick.Controls

// A problem in plain words, on a tinted panel; takes no room when there is none.
Label {
    id: box
    property bool warning: false
    visible: text.length > 0
    wrapMode: Text.WordWrap
    color: Theme.text
    padding: 12
    leftPadding: 20
    background: Rectangle {
        color: box.warning ? Theme.warningBackground : Theme.errorBackground
        radius: 6
        Rectangle { width: 6; height: parent.height; radius: 3; color: box.warning ? Theme.warningMark : Theme.error }
    }
}
