import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

Page {
    id: page
    required property AppController app
    required property StackView stack
    objectName: "overviewPage"

    header: AppHeader { app: page.app; title: "TPS " + page.app.scopeName }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 20
        spacing: 16

        RowLayout {
            Layout.fillWidth: true
            Label { text: qsTr("Operator") }
            TextField {
                objectName: "operatorName"
                text: page.app.operatorName
                placeholderText: qsTr("Your name")
                implicitHeight: Theme.touch; Layout.preferredWidth: 360
                onEditingFinished: page.app.operatorName = text
            }
            Item { Layout.fillWidth: true }
            Label { text: page.app.regencyName + " · " + page.app.scope; color: Theme.muted }
        }

        SyncBar { app: page.app; Layout.fillWidth: true; onOutboxClicked: page.stack.push(outbox) }

        Label { text: qsTr("The five result sheets (C.Hasil) of this TPS"); font.bold: true }
        GridLayout {
            columns: page.width > page.height ? 3 : 2
            columnSpacing: 16; rowSpacing: 16
            Layout.fillWidth: true
            Repeater {
                model: page.app.sheets
                delegate: Button {
                    required property var modelData
                    objectName: "sheet:" + modelData.contest
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100 // equal columns
                    implicitHeight: 120
                    contentItem: ColumnLayout {
                        Label { text: modelData.name; font.pixelSize: 22; font.bold: true; Layout.fillWidth: true; elide: Text.ElideRight }
                        StateBadge { state: modelData.state }
                    }
                    onClicked: page.stack.push(sheetPage, { editor: page.app.openSheet(modelData.contest) })
                }
            }
        }
        Item { Layout.fillHeight: true }
    }

    Component { id: sheetPage; SheetPage { app: page.app; stack: page.stack } }
    Component { id: outbox; OutboxPage { app: page.app; stack: page.stack } }
}
