<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>CamatPage</name>
        <message numerus="yes">
            <source>%n still on the tablet</source>
            <translation>
                <numerusform>%n still on the tablet</numerusform>
                <numerusform>%n still on the tablet</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CamatTpsPage</name>
        <message numerus="yes">
            <source>%n still on the tablet</source>
            <translation>
                <numerusform>%n still on the tablet</numerusform>
                <numerusform>%n still on the tablet</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>OverviewPage</name>
        <message numerus="yes">
            <source>%n result sheet(s) (C.Hasil) of this TPS</source>
            <translation>
                <numerusform>%n result sheet (C.Hasil) of this TPS</numerusform>
                <numerusform>%n result sheets (C.Hasil) of this TPS</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ReviewPage</name>
        <message numerus="yes">
            <source>%n box(es) still blank. Go back and type them; 0 where there is none.</source>
            <translation>
                <numerusform>%n box still blank. Go back and type them; 0 where there is none.</numerusform>
                <numerusform>%n boxes still blank. Go back and type them; 0 where there is none.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SheetPage</name>
        <message numerus="yes">
            <source>%n box(es) blank</source>
            <translation>
                <numerusform>%n box blank</numerusform>
                <numerusform>%n boxes blank</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n problem(s)</source>
            <translation>
                <numerusform>%n problem</numerusform>
                <numerusform>%n problems</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n warning(s)</source>
            <translation>
                <numerusform>%n warning</numerusform>
                <numerusform>%n warnings</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::SheetEditor</name>
        <message numerus="yes">
            <source>%n box(es) still blank. Type every number of the form; 0 where there is none.</source>
            <translation>
                <numerusform>%n box still blank. Type every number of the form; 0 where there is none.</numerusform>
                <numerusform>%n boxes still blank. Type every number of the form; 0 where there is none.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The sheet breaks %n rule(s): fix the marked boxes first.</source>
            <translation>
                <numerusform>The sheet breaks %n rule: fix the marked boxes first.</numerusform>
                <numerusform>The sheet breaks %n rules: fix the marked boxes first.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::SyncService</name>
        <message numerus="yes">
            <source>%n sheet(s) waiting to be sent</source>
            <translation>
                <numerusform>%n sheet waiting to be sent</numerusform>
                <numerusform>%n sheets waiting to be sent</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Connected. %n sheet(s) accepted in the last sync.</source>
            <translation>
                <numerusform>Connected. %n sheet accepted in the last sync.</numerusform>
                <numerusform>Connected. %n sheets accepted in the last sync.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Next try at %1 (in %n s)</source>
            <translation>
                <numerusform>Next try at %1 (in %n s)</numerusform>
                <numerusform>Next try at %1 (in %n s)</numerusform>
            </translation>
        </message>
    </context>
</TS>
