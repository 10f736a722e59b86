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
        <name>OutboxPage</name>
        <message numerus="yes">
            <source>Send by QR (%n sheet(s))</source>
            <translation>
                <numerusform>Send by QR (%n sheet)</numerusform>
                <numerusform>Send by QR (%n sheets)</numerusform>
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
        <name>RelayScanPage</name>
        <message numerus="yes">
            <source>%n sheet(s) wait to be forwarded: they go with the next sync.</source>
            <translation>
                <numerusform>%n sheet waits to be forwarded: it goes with the next sync.</numerusform>
                <numerusform>%n sheets wait to be forwarded: they go with the next sync.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RelayShowPage</name>
        <message numerus="yes">
            <source>Show all %1 codes, one after another, to the camat's tablet (Receive by QR). Together the %1 codes carry %n sheet(s), signed by this tablet: nobody on the way can change a number unseen.</source>
            <translation>
                <numerusform>Show all %1 codes, one after another, to the camat's tablet (Receive by QR). Together the %1 codes carry %n sheet, signed by this tablet: nobody on the way can change a number unseen.</numerusform>
                <numerusform>Show all %1 codes, one after another, to the camat's tablet (Receive by QR). Together the %1 codes carry %n sheets, signed by this tablet: nobody on the way can change a number unseen.</numerusform>
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
        <message numerus="yes">
            <source>%n box(es) still blank.</source>
            <translation>
                <numerusform>%n box still blank.</numerusform>
                <numerusform>%n boxes still blank.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n problem(s) to fix first (above).</source>
            <translation>
                <numerusform>%n problem to fix first (above).</numerusform>
                <numerusform>%n problems to fix first (above).</numerusform>
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
        <message numerus="yes">
            <source>%n blank box(es) of %1 get 0. Only where the plano shows no vote: a box with votes must be typed.</source>
            <translation>
                <numerusform>%n blank box of %1 gets 0. Only where the plano shows no vote: a box with votes must be typed.</numerusform>
                <numerusform>%n blank boxes of %1 get 0. Only where the plano shows no vote: a box with votes must be typed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Type 0 in %n box(es)</source>
            <translation>
                <numerusform>Type 0 in %n box</numerusform>
                <numerusform>Type 0 in %n boxes</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::RelayInbox</name>
        <message numerus="yes">
            <source>%1 read: %n sheet(s) received.</source>
            <translation>
                <numerusform>%1 read: %n sheet received.</numerusform>
                <numerusform>%1 read: %n sheets received.</numerusform>
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
