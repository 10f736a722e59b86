pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Qt.labs.folderlistmodel
import Rekap.Tablet

// Choosing a photo taken before, by its picture: big thumbnails of the tablet's photo folders.
// The one tapped is the one taken (through the same scaling as the camera's).
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property PhotoCapture photos
    signal picked()
    objectName: "pickerPage"

    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: qsTr("Choose the photo")
        onBackClicked: page.StackView.view.pop()
    }

    FolderListModel {
        id: files
        folder: page.photos.pictureFolders.length > 0 ? page.photos.pictureFolders[folders.currentIndex] : ""
        nameFilters: ["*.jpg", "*.jpeg", "*.JPG", "*.JPEG", "*.png", "*.PNG"]
        showDirs: false
        sortField: FolderListModel.Time
    }

    ColumnLayout {
        anchors.fill: parent; anchors.margins: Theme.margin
        spacing: 12
        TabBar {
            id: folders
            visible: page.photos.pictureFolders.length > 1
            Layout.fillWidth: true
            Repeater {
                model: page.photos.pictureFolders
                TabButton {
                    required property string modelData
                    text: modelData.split("/").slice(-2).join("/")
                    implicitHeight: Theme.touch
                }
            }
        }
        Label {
            visible: files.count === 0
            text: qsTr("No photos found on this tablet.")
            color: Theme.muted
        }
        GridView {
            id: grid
            objectName: "pictures"
            Layout.fillWidth: true; Layout.fillHeight: true
            clip: true
            cellWidth: width / Math.max(2, Math.floor(width / 240)); cellHeight: cellWidth * 0.8
            model: files
            delegate: ItemDelegate {
                id: picture
                required property string fileName
                required property url fileUrl
                objectName: "picture:" + fileName
                width: grid.cellWidth; height: grid.cellHeight
                padding: 6
                contentItem: Image {
                    source: picture.fileUrl
                    sourceSize.width: 320
                    fillMode: Image.PreserveAspectCrop
                    asynchronous: true
                }
                onClicked: if (page.photos.takeFile(picture.fileUrl)) page.picked()
            }
        }
    }
}
