import QtQuick
import QtTest
import Rekap.Tablet

// The pages that use the camera, opened as the app opens them on a tablet that has one: each
// creates its capture session and camera, and asks the camera to start. (No camera exists
// here; the window is told there is one, as MediaDevices would tell it on a tablet.)
TabletCase {
    id: tc
    name: "Camera"

    // Run with Qt Multimedia's FFmpeg backend (tests/mobile/CMakeLists.txt): under the
    // offscreen platform, the GStreamer backend's pipeline for a camera that is not there hung
    // the run now and then, and once crashed as it was torn down. What is checked here, that
    // each page creates its camera and asks it to start, is the pages' own doing whatever the
    // backend.

    function openWithCamera(device) {
        const win = openApp(device, 800, 1280)
        win.hasCamera = true
        return win
    }

    function test_1_the_enrolment_scanner_starts_its_camera() {
        const win = openWithCamera(op)
        tap(findChild(win.current(), "scanButton"))
        const page = win.current()
        compare(page.objectName, "scanPage")
        verify(page.camera, "the scan page creates its camera")
        compare(page.camera.objectName, "camera")
        verify(page.cameraWanted, "and asks it to start")
        win.back()
        win.destroy()
    }

    function test_2_the_relay_scanner_starts_its_camera() {
        enrol(camatDevice, "camat", "630601")
        const win = openWithCamera(camatDevice)
        tap(findChild(win.home(), "relayScanButton"))
        const page = win.current()
        compare(page.objectName, "relayScanPage")
        verify(page.camera, "the relay scanner creates its camera")
        compare(page.camera.objectName, "camera")
        verify(page.cameraWanted, "and asks it to start")
        win.back()
        win.destroy()
    }

    function test_3_the_plano_photo_starts_its_camera() {
        enrol(op, "operator", tc.tps)
        const win = openWithCamera(op)
        win.showSheet("ppwp")
        tap(findChild(win.current(), "photoButton"))
        const page = win.current()
        compare(page.objectName, "capturePage")
        verify(page.camera, "the photo page creates its camera")
        verify(page.cameraWanted, "and asks it to start")
        win.back()
        win.destroy()
    }
}
