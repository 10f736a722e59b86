pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Qt.labs.folderlistmodel
import Rekap.Tablet

// Choosing a photo taken before: each picture of the tablet's photo folders whole, newest first,
// with the time it was taken (regency time) and its file name.
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
            // Each photo whole (a plano is told by its edges as much as by its middle), with the
            // time it was taken and its name below: similar planos differ there.
            cellWidth: width / Math.max(2, Math.floor(width / 240))
            cellHeight: cellWidth * 0.75 + 64
            model: files
            delegate: ItemDelegate {
                id: picture
                required property string fileName
                required property url fileUrl
                required property date fileModified
                objectName: "picture:" + fileName
                width: grid.cellWidth; height: grid.cellHeight
                padding: 6
                contentItem: ColumnLayout {
                    spacing: 2
                    Rectangle {
                        Layout.fillWidth: true; Layout.fillHeight: true
                        color: Theme.computed; border.color: Theme.line
                        Image {
                            objectName: "pictureImage:" + picture.fileName
                            anchors.fill: parent; anchors.margins: 1
                            source: picture.fileUrl
                            sourceSize.width: 320
                            fillMode: Image.PreserveAspectFit
                            autoTransform: true
                            asynchronous: true
                        }
                    }
                    Label {
                        objectName: "pictureTime:" + picture.fileName
                        text: page.photos.takenText(picture.fileModified)
                        font.pixelSize: Theme.fontSize; font.bold: true; color: Theme.text
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        objectName: "pictureName:" + picture.fileName
                        text: picture.fileName
                        font.pixelSize: Theme.small; color: Theme.muted
                        elide: Text.ElideMiddle
                        Layout.fillWidth: true
                    }
                }
                onClicked: if (page.photos.takeFile(picture.fileUrl)) page.picked()
            }
        }
    }
}
