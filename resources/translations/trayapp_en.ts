<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n created</source>
        <translation>
            <numerusform>%n created</numerusform>
            <numerusform>%n created</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n updated</source>
        <translation>
            <numerusform>%n updated</numerusform>
            <numerusform>%n updated</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErpPage</name>
    <message numerus="yes">
        <source>%n database(s) on the server; pick one from the list.</source>
        <translation>
            <numerusform>%n database on the server; pick it from the list.</numerusform>
            <numerusform>%n databases on the server; pick one from the list.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message numerus="yes">
        <source>%n run(s) shown</source>
        <translation>
            <numerusform>%n run shown</numerusform>
            <numerusform>%n runs shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) failed:</source>
        <translation>
            <numerusform>%n record failed:</numerusform>
            <numerusform>%n records failed:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ManualSyncDialog</name>
    <message numerus="yes">
        <source>%n record(s) so far</source>
        <translation>
            <numerusform>%n record so far</numerusform>
            <numerusform>%n records so far</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) could not run; see the Note column.</source>
        <translation>
            <numerusform>%n operation could not run; see the Note column.</numerusform>
            <numerusform>%n operations could not run; see the Note column.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Records the sync would touch (%n):</source>
        <translation>
            <numerusform>Records the sync would touch (%n):</numerusform>
            <numerusform>Records the sync would touch (%n):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Records that failed (%n):</source>
        <translation>
            <numerusform>Records that failed (%n):</numerusform>
            <numerusform>Records that failed (%n):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message numerus="yes">
        <source>(+%n more)</source>
        <translation>
            <numerusform>(+%n more)</numerusform>
            <numerusform>(+%n more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message numerus="yes">
        <source>%n record(s) could not be synced; the others were. They are retried on the next run.</source>
        <translation>
            <numerusform>%n record could not be synced; the others were. It is retried on the next run.</numerusform>
            <numerusform>%n records could not be synced; the others were. They are retried on the next run.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(+%n more)</source>
        <translation>
            <numerusform>(+%n more)</numerusform>
            <numerusform>(+%n more)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Run by the background service; %n operation(s) failing</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Run by another trayapp process; %n operation(s) failing</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Automatic sync is on; %n operation(s) failing</source>
        <translation>
            <numerusform>Automatic sync is on; %n operation failing</numerusform>
            <numerusform>Automatic sync is on; %n operations failing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Waiting for %n running operation(s) to finish or roll back…</source>
        <translation>
            <numerusform>Waiting for %n running operation to finish or roll back…</numerusform>
            <numerusform>Waiting for %n running operations to finish or roll back…</numerusform>
        </translation>
    </message>
</context>
</TS>
