<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>trayapp</source>
        <translation>trayapp</translation>
    </message>
    <message>
        <source>trayapp seems to be running already, but it does not answer.

If it hangs, end the trayapp process (in the task manager) and start trayapp again.
Lock file: %s</source>
        <translation>Wygląda na to, że trayapp już działa, ale nie odpowiada.

Jeśli się zawiesił, zakończ proces trayapp (w menedżerze zadań) i uruchom trayapp ponownie.
Plik blokady: %s</translation>
    </message>
    <message>
        <source>trayapp demo</source>
        <translation>trayapp – demo</translation>
    </message>
    <message>
        <source>The demo could not start: %s</source>
        <translation>Nie udało się uruchomić wersji demonstracyjnej: %s</translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n created</source>
        <translation>
            <numerusform>utworzono %n</numerusform>
            <numerusform>utworzono %n</numerusform>
            <numerusform>utworzono %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n updated</source>
        <translation>
            <numerusform>zaktualizowano %n</numerusform>
            <numerusform>zaktualizowano %n</numerusform>
            <numerusform>zaktualizowano %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>błędy: %n</numerusform>
            <numerusform>błędy: %n</numerusform>
            <numerusform>błędy: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>no changes</source>
        <translation>bez zmian</translation>
    </message>
</context>
<context>
    <name>DurationEdit</name>
    <message>
        <source>hours</source>
        <translation>godz.</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>min</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>s</translation>
    </message>
</context>
<context>
    <name>ErpPage</name>
    <message>
        <source>ODBC driver (SQL Server, PostgreSQL, MariaDB, …)</source>
        <translation>Sterownik ODBC (SQL Server, PostgreSQL, MariaDB, …)</translation>
    </message>
    <message>
        <source>SQLite database file (built in, no driver needed)</source>
        <translation>Plik bazy SQLite (wbudowane, bez sterownika)</translation>
    </message>
    <message>
        <source>Connection string (advanced)</source>
        <translation>Parametry połączenia (zaawansowane)</translation>
    </message>
    <message>
        <source>e.g. localhost\SQLEXPRESS or db.example.local</source>
        <translation>np. localhost\SQLEXPRESS albo db.firma.local</translation>
    </message>
    <message>
        <source>default</source>
        <translation>domyślny</translation>
    </message>
    <message>
        <source>List databases</source>
        <translation>Pokaż bazy danych</translation>
    </message>
    <message>
        <source>Ask the server which databases it has (uses the login below)</source>
        <translation>Zapytaj serwer, jakie ma bazy danych (używa poniższego logowania)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Przeglądaj…</translation>
    </message>
    <message>
        <source>Database user and password</source>
        <translation>Użytkownik i hasło bazy danych</translation>
    </message>
    <message>
        <source>Windows authentication (this computer&apos;s user)</source>
        <translation>Uwierzytelnianie Windows (użytkownik tego komputera)</translation>
    </message>
    <message>
        <source>e.g. Encrypt=yes;TrustServerCertificate=yes</source>
        <translation>np. Encrypt=yes;TrustServerCertificate=yes</translation>
    </message>
    <message>
        <source>the .db / .sqlite3 file</source>
        <translation>plik .db / .sqlite3</translation>
    </message>
    <message>
        <source>An ODBC connection string, a DSN=… or sqlite:///path. Never write the password here: write {password} and type the password below; it is kept in the keyring.</source>
        <translation>Parametry połączenia ODBC, DSN=… albo sqlite:///ścieżka. Nigdy nie wpisuj tu hasła: wpisz {password}, a hasło podaj poniżej; zostanie zapisane w magazynie haseł systemu.</translation>
    </message>
    <message>
        <source>The name of the keyring entry that holds the password (the configuration file keeps only this name)</source>
        <translation>Nazwa wpisu w magazynie haseł, który przechowuje hasło (plik konfiguracji zawiera tylko tę nazwę)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>brak</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Sprawdź połączenie</translation>
    </message>
    <message>
        <source>Connect with:</source>
        <translation>Połącz przez:</translation>
    </message>
    <message>
        <source>Driver:</source>
        <translation>Sterownik:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Serwer:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Baza danych:</translation>
    </message>
    <message>
        <source>Log in with:</source>
        <translation>Logowanie:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Użytkownik:</translation>
    </message>
    <message>
        <source>More options:</source>
        <translation>Dodatkowe opcje:</translation>
    </message>
    <message>
        <source>Database file:</source>
        <translation>Plik bazy danych:</translation>
    </message>
    <message>
        <source>Connection string:</source>
        <translation>Parametry połączenia:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Hasło:</translation>
    </message>
    <message>
        <source>Keyring entry:</source>
        <translation>Wpis w magazynie haseł:</translation>
    </message>
    <message>
        <source>ERP profile:</source>
        <translation>Profil ERP:</translation>
    </message>
    <message>
        <source>Order reference prefix:</source>
        <translation>Prefiks numeru zamówienia:</translation>
    </message>
    <message>
        <source>The profile says where the ERP keeps products, stock and orders (shipped: demo, staging; your own in the profiles folder). The prefix goes before the shop&apos;s order number in the ERP order&apos;s reference; two integrations importing into one ERP need different prefixes.</source>
        <translation>Profil określa, gdzie ERP przechowuje produkty, stany magazynowe i zamówienia (w zestawie: demo, staging; własne w folderze profili). Prefiks poprzedza numer zamówienia ze sklepu w numerze obcym zamówienia w ERP; dwie integracje importujące do jednego ERP potrzebują różnych prefiksów.</translation>
    </message>
    <message>
        <source>ERP database</source>
        <translation>Baza danych ERP</translation>
    </message>
    <message>
        <source>No ODBC driver is installed. Install the one for your database, e.g. Microsoft ODBC Driver 18 for SQL Server, or on Debian/Ubuntu odbc-postgresql, odbc-mariadb, libsqliteodbc.</source>
        <translation>Nie zainstalowano żadnego sterownika ODBC. Zainstaluj sterownik swojej bazy, np. Microsoft ODBC Driver 18 for SQL Server, a w Debianie/Ubuntu odbc-postgresql, odbc-mariadb, libsqliteodbc.</translation>
    </message>
    <message>
        <source>%s (not installed)</source>
        <translation>%s (niezainstalowany)</translation>
    </message>
    <message>
        <source>Connection string: %s</source>
        <translation>Parametry połączenia: %s</translation>
    </message>
    <message>
        <source>SQLite database</source>
        <translation>Baza danych SQLite</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)</source>
        <translation>Bazy danych SQLite (*.db *.sqlite *.sqlite3);;Wszystkie pliki (*)</translation>
    </message>
    <message>
        <source>ERP profile</source>
        <translation>Profil ERP</translation>
    </message>
    <message>
        <source>ERP profiles (*.toml)</source>
        <translation>Profile ERP (*.toml)</translation>
    </message>
    <message>
        <source>Asking the server for its databases…</source>
        <translation>Pobieranie listy baz danych z serwera…</translation>
    </message>
    <message numerus="yes">
        <source>%n database(s) on the server; pick one from the list.</source>
        <translation>
            <numerusform>Na serwerze jest %n baza danych; wybierz ją z listy.</numerusform>
            <numerusform>Na serwerze są %n bazy danych; wybierz jedną z listy.</numerusform>
            <numerusform>Na serwerze jest %n baz danych; wybierz jedną z listy.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server lists no database this user can see.</source>
        <translation>Serwer nie pokazuje żadnej bazy danych dostępnej dla tego użytkownika.</translation>
    </message>
    <message>
        <source>Could not list the databases: %s</source>
        <translation>Nie udało się pobrać listy baz danych: %s</translation>
    </message>
    <message>
        <source>Connecting to the ERP database…</source>
        <translation>Łączenie z bazą danych ERP…</translation>
    </message>
    <message>
        <source>Connected: %s</source>
        <translation>Połączono: %s</translation>
    </message>
    <message>
        <source>Connection failed: %s</source>
        <translation>Połączenie nieudane: %s</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Połączenie</translation>
    </message>
    <message>
        <source>Driver</source>
        <translation>Sterownik</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serwer</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Baza danych</translation>
    </message>
    <message>
        <source>Keyring entry</source>
        <translation>Wpis w magazynie haseł</translation>
    </message>
    <message>
        <source>Order reference prefix</source>
        <translation>Prefiks numeru zamówienia</translation>
    </message>
</context>
<context>
    <name>FailuresModel</name>
    <message>
        <source>Record</source>
        <translation>Rekord</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Przyczyna</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <source>Used in the menu, the event history, the command line (trayapp sync NAME) and the keyring entries&apos; names.</source>
        <translation>Używana w menu, w historii zdarzeń, w wierszu poleceń (trayapp sync NAZWA) i w nazwach wpisów w magazynie haseł.</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktywna</translation>
    </message>
    <message>
        <source>Automatic sync</source>
        <translation>Automatyczna synchronizacja</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nazwa:</translation>
    </message>
    <message>
        <source>Operations run on their own only while the integration is active and automatic sync is on. An inactive integration is not synchronised at all; with automatic sync off it is synchronised only when you ask (Sync now, Manual sync).</source>
        <translation>Operacje uruchamiają się same tylko wtedy, gdy integracja jest aktywna i automatyczna synchronizacja jest włączona. Nieaktywna integracja nie jest w ogóle synchronizowana; przy wyłączonej automatycznej synchronizacji – tylko na żądanie (Synchronizuj teraz, Synchronizacja ręczna).</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Ogólne</translation>
    </message>
    <message>
        <source>Renamed from &apos;%s&apos;. On Save its passwords and keys move to the new name in the keyring. Its sync state starts afresh: products are matched again by SKU and orders already in the ERP are recognised by their reference, so nothing is duplicated.</source>
        <translation>Zmieniono nazwę z „%s”. Po zapisaniu hasła i klucze zostaną przeniesione w magazynie haseł pod nową nazwę. Stan synchronizacji zaczyna się od nowa: produkty zostaną ponownie dopasowane po SKU, a zamówienia już obecne w ERP rozpoznane po numerze, więc nic się nie zdubluje.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Scheduled</source>
        <translation>Harmonogram</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>Ręcznie</translation>
    </message>
    <message>
        <source>changes since the last run</source>
        <translation>zmiany od ostatniego przebiegu</translation>
    </message>
    <message>
        <source>all records</source>
        <translation>wszystkie rekordy</translation>
    </message>
    <message>
        <source>changed since %s</source>
        <translation>zmienione od %s</translation>
    </message>
    <message>
        <source>numbers %(first)s to %(last)s</source>
        <translation>numery od %(first)s do %(last)s</translation>
    </message>
    <message>
        <source>, unchanged ones too</source>
        <translation>, także niezmienione</translation>
    </message>
    <message>
        <source>%s s</source>
        <translation>%s s</translation>
    </message>
    <message>
        <source>%(min)s min %(s)s s</source>
        <translation>%(min)s min %(s)s s</translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <source>Event history - trayapp</source>
        <translation>Historia zdarzeń – trayapp</translation>
    </message>
    <message>
        <source>All integrations</source>
        <translation>Wszystkie integracje</translation>
    </message>
    <message>
        <source>All operations</source>
        <translation>Wszystkie operacje</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>Wszystkie wyniki</translation>
    </message>
    <message>
        <source>With problems</source>
        <translation>Z problemami</translation>
    </message>
    <message>
        <source>Filter: text in any column, e.g. an error or #run number</source>
        <translation>Filtr: tekst w dowolnej kolumnie, np. błąd albo #numer przebiegu</translation>
    </message>
    <message>
        <source>Export to CSV…</source>
        <translation>Eksportuj do CSV…</translation>
    </message>
    <message>
        <source>Save the runs shown (as filtered) to a CSV file</source>
        <translation>Zapisz widoczne (przefiltrowane) przebiegi do pliku CSV</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Otwórz folder logów</translation>
    </message>
    <message>
        <source>Export failures to CSV…</source>
        <translation>Eksportuj błędy do CSV…</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) shown</source>
        <translation>
            <numerusform>Widoczny %n przebieg</numerusform>
            <numerusform>Widoczne %n przebiegi</numerusform>
            <numerusform>Widocznych %n przebiegów</numerusform>
        </translation>
    </message>
    <message>
        <source>(of %s loaded)</source>
        <translation>(z %s wczytanych)</translation>
    </message>
    <message>
        <source>only the latest %s runs are loaded; narrow the filters to see older ones</source>
        <translation>wczytano tylko %s najnowszych przebiegów; zawęź filtry, aby zobaczyć starsze</translation>
    </message>
    <message>
        <source>Select a run to see the records that failed in it.</source>
        <translation>Wybierz przebieg, aby zobaczyć rekordy, które się w nim nie udały.</translation>
    </message>
    <message>
        <source>Run #%(id)s: %(integration)s - %(operation)s, %(time)s</source>
        <translation>Przebieg #%(id)s: %(integration)s – %(operation)s, %(time)s</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) failed:</source>
        <translation>
            <numerusform>%n rekord z błędem:</numerusform>
            <numerusform>%n rekordy z błędem:</numerusform>
            <numerusform>%n rekordów z błędem:</numerusform>
        </translation>
    </message>
    <message>
        <source>still running</source>
        <translation>jeszcze trwa</translation>
    </message>
    <message>
        <source>no record failed</source>
        <translation>żaden rekord nie zakończył się błędem</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Przebieg</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Rekordy</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Czas</translation>
    </message>
    <message>
        <source>Integration</source>
        <translation>Integracja</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Operacja</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Rekord</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Przyczyna</translation>
    </message>
    <message>
        <source>Export to CSV</source>
        <translation>Eksport do CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Pliki CSV (*.csv);;Wszystkie pliki (*)</translation>
    </message>
    <message>
        <source>Could not save %(path)s: %(error)s. Choose another folder.</source>
        <translation>Nie udało się zapisać %(path)s: %(error)s. Wybierz inny folder.</translation>
    </message>
    <message>
        <source>Saved %(count)s row(s) to %(path)s</source>
        <translation>Zapisano do %(path)s (wierszy: %(count)s)</translation>
    </message>
    <message>
        <source>No file manager could open the log folder. It is: %s</source>
        <translation>Żaden menedżer plików nie otworzył folderu logów. Folder to: %s</translation>
    </message>
</context>
<context>
    <name>ManualSync</name>
    <message>
        <source>Create</source>
        <translation>Utworzenie</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualizacja</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Pominięcie</translation>
    </message>
    <message>
        <source>Would fail</source>
        <translation>Byłby błąd</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Błąd</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>gotowe</translation>
    </message>
    <message>
        <source>some records would fail</source>
        <translation>część rekordów dałaby błąd</translation>
    </message>
    <message>
        <source>stock → %s</source>
        <translation>stan → %s</translation>
    </message>
    <message>
        <source>status → %s</source>
        <translation>status → %s</translation>
    </message>
    <message>
        <source>already in the ERP as %s</source>
        <translation>już jest w ERP jako %s</translation>
    </message>
    <message>
        <source>ERP status &apos;%s&apos; is not mapped to a shop status</source>
        <translation>status ERP „%s” nie ma odpowiednika w statusach sklepu</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>bez zmian</translation>
    </message>
    <message>
        <source>not in the shop</source>
        <translation>brak w sklepie</translation>
    </message>
    <message>
        <source>already imported</source>
        <translation>już zaimportowane</translation>
    </message>
    <message>
        <source>held back: younger than the settle delay</source>
        <translation>wstrzymane: młodsze niż czas oczekiwania</translation>
    </message>
</context>
<context>
    <name>ManualSyncDialog</name>
    <message>
        <source>Manual sync - trayapp</source>
        <translation>Synchronizacja ręczna – trayapp</translation>
    </message>
    <message>
        <source>&amp;Integration:</source>
        <translation>&amp;Integracja:</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>Operacje</translation>
    </message>
    <message>
        <source>Which records</source>
        <translation>Które rekordy</translation>
    </message>
    <message>
        <source>Changed since the last scheduled run</source>
        <translation>Zmienione od ostatniego przebiegu z harmonogramu</translation>
    </message>
    <message>
        <source>All records</source>
        <translation>Wszystkie rekordy</translation>
    </message>
    <message>
        <source>Number range:</source>
        <translation>Zakres numerów:</translation>
    </message>
    <message>
        <source>Changed since:</source>
        <translation>Zmienione od:</translation>
    </message>
    <message>
        <source>from, e.g. 1000</source>
        <translation>od, np. 1000</translation>
    </message>
    <message>
        <source>to, e.g. 1200</source>
        <translation>do, np. 1200</translation>
    </message>
    <message>
        <source>Order numbers for orders; SKUs (product codes) for products and stock.</source>
        <translation>Numery zamówień dla zamówień; SKU (kody produktów) dla produktów i stanów magazynowych.</translation>
    </message>
    <message>
        <source>Send even unchanged records</source>
        <translation>Wyślij także niezmienione rekordy</translation>
    </message>
    <message>
        <source>Normally records the other side already has in this version are not sent again. Tick this to send them all the same (e.g. after someone edited them by hand in the shop).</source>
        <translation>Zwykle rekordy, które druga strona ma już w tej wersji, nie są wysyłane ponownie. Zaznacz, aby wysłać je mimo to (np. gdy ktoś zmienił je ręcznie w sklepie).</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Podgląd</translation>
    </message>
    <message>
        <source>List what would be created, updated or skipped, without writing anything</source>
        <translation>Pokaż, co zostałoby utworzone, zaktualizowane lub pominięte – bez zapisywania czegokolwiek</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Uruchom</translation>
    </message>
    <message>
        <source>Synchronise now; the result is kept in the event history</source>
        <translation>Synchronizuj teraz; wynik zostanie zapisany w historii zdarzeń</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Anuluj</translation>
    </message>
    <message>
        <source>Stop after the record or batch in progress; what is done stays done</source>
        <translation>Zatrzymaj po bieżącym rekordzie lub paczce; to, co już zrobione, zostaje</translation>
    </message>
    <message>
        <source>Event &amp;history…</source>
        <translation>&amp;Historia zdarzeń…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Choose what to synchronise, then Preview or Run.</source>
        <translation>Wybierz, co synchronizować, a potem kliknij Podgląd albo Uruchom.</translation>
    </message>
    <message>
        <source>Find a record…</source>
        <translation>Znajdź rekord…</translation>
    </message>
    <message>
        <source>%s (not scheduled)</source>
        <translation>%s (poza harmonogramem)</translation>
    </message>
    <message>
        <source>This operation is switched off in the integration&apos;s settings; it runs only if you tick it.</source>
        <translation>Ta operacja jest wyłączona w ustawieniach integracji; zostanie wykonana tylko, jeśli ją zaznaczysz.</translation>
    </message>
    <message>
        <source>No integration is configured; set one up in the settings first.</source>
        <translation>Nie skonfigurowano żadnej integracji; najpierw dodaj ją w ustawieniach.</translation>
    </message>
    <message>
        <source>Choose at least one operation.</source>
        <translation>Wybierz co najmniej jedną operację.</translation>
    </message>
    <message>
        <source>Enter both ends of the number range (the same number twice for one record).</source>
        <translation>Podaj oba końce zakresu numerów (dla jednego rekordu dwa razy ten sam numer).</translation>
    </message>
    <message>
        <source>Orders are chosen by their number: give the range in numbers, e.g. 1000 to 1200.</source>
        <translation>Zamówienia wybiera się po numerze: podaj zakres liczbami, np. od 1000 do 1200.</translation>
    </message>
    <message>
        <source>The range starts after it ends: %(first)s is larger than %(last)s.</source>
        <translation>Zakres zaczyna się za swoim końcem: %(first)s jest większe niż %(last)s.</translation>
    </message>
    <message>
        <source>The range starts after it ends: %(first)s sorts after %(last)s.</source>
        <translation>Zakres zaczyna się za swoim końcem: %(first)s jest alfabetycznie po %(last)s.</translation>
    </message>
    <message>
        <source>The date is in the future: nothing can have changed since then.</source>
        <translation>Data jest w przyszłości: od tej chwili nic nie mogło się zmienić.</translation>
    </message>
    <message>
        <source>Stopping after the record or batch in progress…</source>
        <translation>Zatrzymywanie po bieżącym rekordzie lub paczce…</translation>
    </message>
    <message>
        <source>Could not start: %s</source>
        <translation>Nie udało się uruchomić: %s</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>oczekuje</translation>
    </message>
    <message>
        <source>Previewing…</source>
        <translation>Przygotowywanie podglądu…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Uruchamianie…</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ukryj</translation>
    </message>
    <message>
        <source>The run goes on; open Manual sync again to see it</source>
        <translation>Synchronizacja trwa dalej; otwórz ponownie Synchronizację ręczną, aby ją zobaczyć</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>odczyt…</translation>
    </message>
    <message>
        <source>%(done)s of %(total)s</source>
        <translation>%(done)s z %(total)s</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) so far</source>
        <translation>
            <numerusform>dotąd %n rekord</numerusform>
            <numerusform>dotąd %n rekordy</numerusform>
            <numerusform>dotąd %n rekordów</numerusform>
        </translation>
    </message>
    <message>
        <source>%(operation)s: %(progress)s</source>
        <translation>%(operation)s: %(progress)s</translation>
    </message>
    <message>
        <source>(operation %(step)s of %(count)s)</source>
        <translation>(operacja %(step)s z %(count)s)</translation>
    </message>
    <message>
        <source>the service stopped before the run began</source>
        <translation>usługa zatrzymała się przed rozpoczęciem synchronizacji</translation>
    </message>
    <message>
        <source>not run (stopped before it)</source>
        <translation>nie wykonano (zatrzymano wcześniej)</translation>
    </message>
    <message>
        <source>The sync could not run: %s</source>
        <translation>Synchronizacja nie mogła się odbyć: %s</translation>
    </message>
    <message>
        <source>Preview - nothing was written: %(create)s to create, %(update)s to update, %(skip)s skipped, %(fail)s would fail.</source>
        <translation>Podgląd – nic nie zapisano: do utworzenia %(create)s, do aktualizacji %(update)s, pominięte %(skip)s, z błędem byłoby %(fail)s.</translation>
    </message>
    <message>
        <source>Finished: %(create)s created, %(update)s updated, %(skip)s skipped, %(fail)s failed. The runs are in the event history.</source>
        <translation>Zakończono: utworzono %(create)s, zaktualizowano %(update)s, pominięto %(skip)s, błędy: %(fail)s. Przebiegi są w historii zdarzeń.</translation>
    </message>
    <message>
        <source>Stopped on request.</source>
        <translation>Zatrzymano na żądanie.</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) could not run; see the Note column.</source>
        <translation>
            <numerusform>%n operacja nie mogła się wykonać; zobacz kolumnę Uwagi.</numerusform>
            <numerusform>%n operacje nie mogły się wykonać; zobacz kolumnę Uwagi.</numerusform>
            <numerusform>%n operacji nie mogło się wykonać; zobacz kolumnę Uwagi.</numerusform>
        </translation>
    </message>
    <message>
        <source>Records: run a Preview to see what would change.</source>
        <translation>Rekordy: uruchom Podgląd, aby zobaczyć, co by się zmieniło.</translation>
    </message>
    <message numerus="yes">
        <source>Records the sync would touch (%n):</source>
        <translation>
            <numerusform>Rekordy, których dotyczyłaby synchronizacja (%n):</numerusform>
            <numerusform>Rekordy, których dotyczyłaby synchronizacja (%n):</numerusform>
            <numerusform>Rekordy, których dotyczyłaby synchronizacja (%n):</numerusform>
        </translation>
    </message>
    <message>
        <source>(only the first %s skipped records of each operation are listed)</source>
        <translation>(dla każdej operacji pokazano tylko pierwsze %s pominiętych rekordów)</translation>
    </message>
    <message numerus="yes">
        <source>Records that failed (%n):</source>
        <translation>
            <numerusform>Rekordy z błędem (%n):</numerusform>
            <numerusform>Rekordy z błędem (%n):</numerusform>
            <numerusform>Rekordy z błędem (%n):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationsPage</name>
    <message>
        <source>Desktop notifications</source>
        <translation>Powiadomienia na pulpicie</translation>
    </message>
    <message>
        <source>A notification when an operation of this integration starts failing, and one when it works again; none for runs that succeed (the tray icon shows that synchronisation runs). Whether every run is kept in the event history is set for all integrations, on the left.</source>
        <translation>Powiadomienie, gdy operacja tej integracji zaczyna kończyć się błędem, i drugie, gdy znów działa; żadnych przy udanych przebiegach (ikona w zasobniku pokazuje, że synchronizacja działa). To, czy każdy przebieg trafia do historii zdarzeń, ustawia się dla wszystkich integracji, po lewej.</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Powiadomienia</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>shop → ERP</source>
        <translation>sklep → ERP</translation>
    </message>
    <message>
        <source>ERP → shop</source>
        <translation>ERP → sklep</translation>
    </message>
    <message>
        <source>Import orders</source>
        <translation>Import zamówień</translation>
    </message>
    <message>
        <source>Update order statuses</source>
        <translation>Aktualizacja statusów zamówień</translation>
    </message>
    <message>
        <source>Export products</source>
        <translation>Eksport produktów</translation>
    </message>
    <message>
        <source>Import products</source>
        <translation>Import produktów</translation>
    </message>
    <message>
        <source>Update stock</source>
        <translation>Aktualizacja stanów magazynowych</translation>
    </message>
</context>
<context>
    <name>OperationsPage</name>
    <message>
        <source>&lt;b&gt;Operation&lt;/b&gt;</source>
        <translation>&lt;b&gt;Operacja&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Direction&lt;/b&gt;</source>
        <translation>&lt;b&gt;Kierunek&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Runs every&lt;/b&gt;</source>
        <translation>&lt;b&gt;Uruchamiana co&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Each operation runs on its own schedule: 5 minutes unless you choose otherwise, at least 1 second. A run never overlaps itself; a run that takes longer than its interval is not stacked up.</source>
        <translation>Każda operacja ma własny harmonogram: co 5 minut, o ile nie wybierzesz inaczej, nie częściej niż co 1 sekundę. Przebiegi tej samej operacji nigdy się nie nakładają; gdy przebieg trwa dłużej niż odstęp, kolejne nie są kolejkowane.</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>Operacje</translation>
    </message>
    <message>
        <source>%s: interval</source>
        <translation>%s: odstęp</translation>
    </message>
</context>
<context>
    <name>OwnershipPage</name>
    <message>
        <source>Product field</source>
        <translation>Pole produktu</translation>
    </message>
    <message>
        <source>ERP is master</source>
        <translation>Nadrzędny ERP</translation>
    </message>
    <message>
        <source>Shop is master</source>
        <translation>Nadrzędny sklep</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>Each product field has one master side: export products sends the ERP&apos;s fields to the shop, import products writes the shop&apos;s fields into the ERP. A field with both sides as master would make them overwrite each other, so it is refused; a field with neither is not synchronised.</source>
        <translation>Każde pole produktu ma jedną stronę nadrzędną: eksport produktów wysyła pola z ERP do sklepu, import produktów zapisuje pola ze sklepu w ERP. Pole z dwiema stronami nadrzędnymi byłoby wzajemnie nadpisywane, dlatego jest niedozwolone; pole bez strony nadrzędnej nie jest synchronizowane.</translation>
    </message>
    <message>
        <source>Field ownership</source>
        <translation>Pola nadrzędne</translation>
    </message>
    <message>
        <source>⚠ two masters: choose one</source>
        <translation>⚠ dwie strony nadrzędne: wybierz jedną</translation>
    </message>
    <message>
        <source>ERP → shop</source>
        <translation>ERP → sklep</translation>
    </message>
    <message>
        <source>shop → ERP</source>
        <translation>sklep → ERP</translation>
    </message>
    <message>
        <source>not synchronised</source>
        <translation>niesynchronizowane</translation>
    </message>
    <message>
        <source>Two masters: %s. Untick ERP or shop for each.</source>
        <translation>Dwie strony nadrzędne: %s. Odznacz dla każdego ERP albo sklep.</translation>
    </message>
</context>
<context>
    <name>PlanModel</name>
    <message>
        <source>Operation</source>
        <translation>Operacja</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Działanie</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Rekord</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Szczegóły</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Przyczyna</translation>
    </message>
</context>
<context>
    <name>ProductField</name>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Cena</translation>
    </message>
    <message>
        <source>Sale price</source>
        <translation>Cena promocyjna</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Opis</translation>
    </message>
    <message>
        <source>Short description</source>
        <translation>Krótki opis</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Tax class</source>
        <translation>Klasa podatkowa</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Waga</translation>
    </message>
    <message>
        <source>EAN (barcode)</source>
        <translation>EAN (kod kreskowy)</translation>
    </message>
    <message>
        <source>Published (active)</source>
        <translation>Opublikowany (aktywny)</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>some records failed</source>
        <translation>część rekordów z błędem</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>błąd</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>anulowano</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>przerwano</translation>
    </message>
    <message>
        <source>running</source>
        <translation>w toku</translation>
    </message>
    <message>
        <source>skipped (another run in progress)</source>
        <translation>pominięto (trwa inny przebieg)</translation>
    </message>
</context>
<context>
    <name>RunsModel</name>
    <message>
        <source>Time</source>
        <translation>Czas</translation>
    </message>
    <message>
        <source>Integration</source>
        <translation>Integracja</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Operacja</translation>
    </message>
    <message>
        <source>Started by</source>
        <translation>Tryb</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Utworzone</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Zmienione</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Pominięte</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Błędy</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Trwało</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Błąd</translation>
    </message>
    <message>
        <source>Records: %s</source>
        <translation>Rekordy: %s</translation>
    </message>
    <message>
        <source>Finished %s</source>
        <translation>Zakończono %s</translation>
    </message>
</context>
<context>
    <name>SchedulePage</name>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>Add time window</source>
        <translation>Dodaj przedział czasu</translation>
    </message>
    <message>
        <source>Add working hours (Mon-Fri 7:00-19:00)</source>
        <translation>Dodaj godziny pracy (pn–pt 7:00–19:00)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Times are this computer&apos;s local time. A window whose end is before its start runs over midnight; an end of 00:00 means midnight at the end of the day.</source>
        <translation>Godziny są czasem lokalnym tego komputera. Przedział, którego koniec jest wcześniej niż początek, przechodzi przez północ; koniec 00:00 oznacza północ na końcu dnia.</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Harmonogram</translation>
    </message>
    <message>
        <source>choose at least one day</source>
        <translation>wybierz co najmniej jeden dzień</translation>
    </message>
    <message>
        <source>Operations run on their own only inside these time windows:</source>
        <translation>Operacje uruchamiają się same tylko w tych przedziałach czasu:</translation>
    </message>
    <message>
        <source>No time window: operations run at any time of day, every day. Add a window to limit them to certain days and hours.</source>
        <translation>Brak przedziałów czasu: operacje działają o każdej porze, codziennie. Dodaj przedział, aby ograniczyć je do wybranych dni i godzin.</translation>
    </message>
    <message>
        <source>Time window %d</source>
        <translation>Przedział czasu %d</translation>
    </message>
    <message>
        <source>Time windows</source>
        <translation>Przedziały czasu</translation>
    </message>
</context>
<context>
    <name>ScopePage</name>
    <message>
        <source>all products</source>
        <translation>wszystkie produkty</translation>
    </message>
    <message>
        <source> units</source>
        <translation> szt.</translation>
    </message>
    <message>
        <source>every status</source>
        <translation>każdy status</translation>
    </message>
    <message>
        <source>Product export</source>
        <translation>Eksport produktów</translation>
    </message>
    <message>
        <source>Only products with these labels:</source>
        <translation>Tylko produkty z tymi etykietami:</translation>
    </message>
    <message>
        <source>ERP labels (groups, tags), separated by commas. Empty: every product.</source>
        <translation>Etykiety z ERP (grupy, znaczniki), rozdzielone przecinkami. Puste: wszystkie produkty.</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Stany magazynowe</translation>
    </message>
    <message>
        <source>Keep back (buffer):</source>
        <translation>Zachowaj rezerwę (bufor):</translation>
    </message>
    <message>
        <source>The shop gets the available quantity: on hand - reserved - buffer, never below 0.</source>
        <translation>Sklep dostaje ilość dostępną: stan – rezerwacje – bufor, nigdy poniżej 0.</translation>
    </message>
    <message>
        <source>Order import</source>
        <translation>Import zamówień</translation>
    </message>
    <message>
        <source>Import orders in these shop statuses:</source>
        <translation>Importuj zamówienia w tych statusach sklepu:</translation>
    </message>
    <message>
        <source>WooCommerce statuses: pending, processing, on-hold, completed, cancelled, refunded, failed. Usually: processing, on-hold.</source>
        <translation>Statusy WooCommerce: pending, processing, on-hold, completed, cancelled, refunded, failed. Zwykle: processing, on-hold.</translation>
    </message>
    <message>
        <source>Data scope</source>
        <translation>Zakres danych</translation>
    </message>
    <message>
        <source>Product export labels</source>
        <translation>Etykiety eksportu produktów</translation>
    </message>
    <message>
        <source>Stock labels</source>
        <translation>Etykiety stanów magazynowych</translation>
    </message>
    <message>
        <source>Stock buffer</source>
        <translation>Bufor stanów magazynowych</translation>
    </message>
    <message>
        <source>Order statuses to import</source>
        <translation>Statusy zamówień do importu</translation>
    </message>
</context>
<context>
    <name>SecretField</name>
    <message>
        <source>checking the keyring…</source>
        <translation>sprawdzanie magazynu haseł…</translation>
    </message>
    <message>
        <source>stored in the keyring - type to replace it</source>
        <translation>zapisane w magazynie haseł – wpisz, aby zastąpić</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>zapisane</translation>
    </message>
    <message>
        <source>not stored yet - type it here</source>
        <translation>jeszcze niezapisane – wpisz tutaj</translation>
    </message>
    <message>
        <source>not stored</source>
        <translation>niezapisane</translation>
    </message>
    <message>
        <source>set in an environment variable</source>
        <translation>ustawione w zmiennej środowiskowej</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>zmienna środowiskowa</translation>
    </message>
    <message>
        <source>no keyring available</source>
        <translation>brak magazynu haseł</translation>
    </message>
    <message>
        <source>no keyring</source>
        <translation>brak magazynu haseł</translation>
    </message>
</context>
<context>
    <name>SettingsCheck</name>
    <message>
        <source>choose an ODBC driver</source>
        <translation>wybierz sterownik ODBC</translation>
    </message>
    <message>
        <source>choose the SQLite database file</source>
        <translation>wybierz plik bazy danych SQLite</translation>
    </message>
    <message>
        <source>enter the database server, e.g. localhost\SQLEXPRESS</source>
        <translation>podaj serwer bazy danych, np. localhost\SQLEXPRESS</translation>
    </message>
    <message>
        <source>the connection uses a password: give the keyring entry that holds it (e.g. erp-password)</source>
        <translation>połączenie używa hasła: podaj wpis w magazynie haseł, który je przechowuje (np. erp-password)</translation>
    </message>
    <message>
        <source>choose the ERP profile (demo, staging or your own)</source>
        <translation>wybierz profil ERP (demo, staging lub własny)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>trayapp settings</source>
        <translation>Ustawienia trayapp</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplikuj</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>All integrations</source>
        <translation>Wszystkie integracje</translation>
    </message>
    <message>
        <source>Keep every run in the event history</source>
        <translation>Zapisuj każdy przebieg w historii zdarzeń</translation>
    </message>
    <message>
        <source>Off: runs that changed nothing are not kept (only the latest one); runs that changed something or failed always are.</source>
        <translation>Wyłączone: przebiegi, które niczego nie zmieniły, nie są zachowywane (tylko ostatni); przebiegi ze zmianami lub błędami – zawsze.</translation>
    </message>
    <message>
        <source>Debug (everything)</source>
        <translation>Debugowanie (wszystko)</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normalny</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Ostrzeżenia i błędy</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Tylko błędy</translation>
    </message>
    <message>
        <source>Log detail:</source>
        <translation>Szczegółowość logu:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Integrations&lt;/b&gt;</source>
        <translation>&lt;b&gt;Integracje&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No integration yet.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;An integration connects one ERP database with one shop. Add one, fill in the ERP database and the shop, test both connections and save.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Nie ma jeszcze żadnej integracji.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Integracja łączy jedną bazę danych ERP z jednym sklepem. Dodaj ją, uzupełnij bazę ERP i sklep, sprawdź oba połączenia i zapisz.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Add an integration</source>
        <translation>Dodaj integrację</translation>
    </message>
    <message>
        <source>The configuration file has an error, so these are the last settings that worked. Saving replaces the file with them. The error: %s</source>
        <translation>Plik konfiguracji zawiera błąd, więc widać ostatnie działające ustawienia. Zapisanie zastąpi nimi plik. Błąd: %s</translation>
    </message>
    <message>
        <source>Applies at once (no need to Save).</source>
        <translation>Działa od razu (bez zapisywania).</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Uruchamiaj przy logowaniu</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(bez nazwy)</translation>
    </message>
    <message>
        <source>%s (inactive)</source>
        <translation>%s (nieaktywna)</translation>
    </message>
    <message>
        <source>Added &apos;%s&apos;: fill in the ERP database and the shop, then Save.</source>
        <translation>Dodano „%s”: uzupełnij bazę ERP i sklep, a potem zapisz.</translation>
    </message>
    <message>
        <source>Duplicated &apos;%(source)s&apos; as &apos;%(copy)s&apos;: its passwords and keys are copied in the keyring on Save.</source>
        <translation>Zduplikowano „%(source)s” jako „%(copy)s”: hasła i klucze zostaną skopiowane w magazynie haseł przy zapisie.</translation>
    </message>
    <message>
        <source>Removed &apos;%s&apos;. Save to apply (its passwords and keys then leave the keyring too); Close without saving to keep it.</source>
        <translation>Usunięto „%s”. Zapisz, aby zastosować (hasła i klucze zostaną wtedy usunięte z magazynu haseł); zamknij bez zapisywania, aby ją zachować.</translation>
    </message>
    <message>
        <source>Fix the highlighted fields before saving: %s</source>
        <translation>Przed zapisaniem popraw wyróżnione pola: %s</translation>
    </message>
    <message numerus="yes">
        <source>(+%n more)</source>
        <translation>
            <numerusform>(+%n kolejne)</numerusform>
            <numerusform>(+%n kolejne)</numerusform>
            <numerusform>(+%n kolejnych)</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Zapisywanie…</translation>
    </message>
    <message>
        <source>Unsaved changes.</source>
        <translation>Niezapisane zmiany.</translation>
    </message>
    <message>
        <source>Passwords and keys cannot be stored: %s</source>
        <translation>Nie można zapisać haseł i kluczy: %s</translation>
    </message>
    <message>
        <source>The configuration was changed elsewhere since this window opened (e.g. with &apos;trayapp integration add&apos;). Save again to replace it with what is shown here, or close this window and open Settings again to start from the new one.</source>
        <translation>Konfiguracja została zmieniona gdzie indziej, odkąd otwarto to okno (np. poleceniem &apos;trayapp integration add&apos;). Zapisz ponownie, aby zastąpić ją tym, co widać tutaj, albo zamknij to okno i otwórz Ustawienia jeszcze raz, aby zacząć od nowej wersji.</translation>
    </message>
    <message>
        <source>The configuration file could not be written: %s</source>
        <translation>Nie udało się zapisać pliku konfiguracji: %s</translation>
    </message>
    <message>
        <source>Saved. The scheduler uses the new settings now.</source>
        <translation>Zapisano. Harmonogram używa już nowych ustawień.</translation>
    </message>
    <message>
        <source>Nothing was saved: the passwords and keys could not be stored in the keyring (%s). No password is ever written to the configuration file; to save the other settings now, clear the password and key fields.</source>
        <translation>Nic nie zapisano: nie udało się zapisać haseł i kluczy w magazynie haseł (%s). Hasła nigdy nie trafiają do pliku konfiguracji; aby zapisać teraz pozostałe ustawienia, wyczyść pola haseł i kluczy.</translation>
    </message>
    <message>
        <source>Discard the changes you have not saved?</source>
        <translation>Odrzucić niezapisane zmiany?</translation>
    </message>
</context>
<context>
    <name>ShopPage</name>
    <message>
        <source>Test connection</source>
        <translation>Sprawdź połączenie</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>Platforma:</translation>
    </message>
    <message>
        <source>Shop address:</source>
        <translation>Adres sklepu:</translation>
    </message>
    <message>
        <source>Consumer key:</source>
        <translation>Klucz klienta (consumer key):</translation>
    </message>
    <message>
        <source>Consumer secret:</source>
        <translation>Sekret klienta (consumer secret):</translation>
    </message>
    <message>
        <source>WooCommerce → Settings → Advanced → REST API → Add key, with Read/Write permission. The key (ck_…) and secret (cs_…) are kept in the system keyring, never in the configuration file.</source>
        <translation>WooCommerce → Ustawienia → Zaawansowane → REST API → Dodaj klucz, z uprawnieniem Odczyt/Zapis. Klucz (ck_…) i sekret (cs_…) są przechowywane w systemowym magazynie haseł, nigdy w pliku konfiguracji.</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Zaawansowane</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>bez limitu</translation>
    </message>
    <message>
        <source>Allow plain http:// to a shop on another computer (unencrypted)</source>
        <translation>Zezwalaj na zwykłe http:// do sklepu na innym komputerze (bez szyfrowania)</translation>
    </message>
    <message>
        <source>Timeout per request:</source>
        <translation>Limit czasu zapytania:</translation>
    </message>
    <message>
        <source>Requests per second:</source>
        <translation>Zapytań na sekundę:</translation>
    </message>
    <message>
        <source>Objects per batch:</source>
        <translation>Obiektów w paczce:</translation>
    </message>
    <message>
        <source>Retries:</source>
        <translation>Ponowienia:</translation>
    </message>
    <message>
        <source>Keyring entry (key):</source>
        <translation>Wpis w magazynie haseł (klucz):</translation>
    </message>
    <message>
        <source>Keyring entry (secret):</source>
        <translation>Wpis w magazynie haseł (sekret):</translation>
    </message>
    <message>
        <source>Shop</source>
        <translation>Sklep</translation>
    </message>
    <message>
        <source>Connecting to the shop…</source>
        <translation>Łączenie ze sklepem…</translation>
    </message>
    <message>
        <source>Connected: %s</source>
        <translation>Połączono: %s</translation>
    </message>
    <message>
        <source>Connection failed: %s</source>
        <translation>Połączenie nieudane: %s</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platforma</translation>
    </message>
    <message>
        <source>Shop address</source>
        <translation>Adres sklepu</translation>
    </message>
    <message>
        <source>Keyring entry (key)</source>
        <translation>Wpis w magazynie haseł (klucz)</translation>
    </message>
    <message>
        <source>Keyring entry (secret)</source>
        <translation>Wpis w magazynie haseł (sekret)</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Limit czasu</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Zapytań na sekundę</translation>
    </message>
    <message>
        <source>Objects per batch</source>
        <translation>Obiektów w paczce</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>Ponowienia</translation>
    </message>
</context>
<context>
    <name>StartAtLogin</name>
    <message>
        <source>Start at login could not be switched on.</source>
        <translation>Nie udało się włączyć uruchamiania przy logowaniu.</translation>
    </message>
    <message>
        <source>Start at login could not be switched off.</source>
        <translation>Nie udało się wyłączyć uruchamiania przy logowaniu.</translation>
    </message>
    <message>
        <source>Start at login (switched off in the system&apos;s startup settings)</source>
        <translation>Uruchamiaj przy logowaniu (wyłączone w ustawieniach autostartu systemu)</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Uruchamiaj przy logowaniu</translation>
    </message>
    <message>
        <source>Starting at login is not supported on this system (%s).</source>
        <translation>Uruchamianie przy logowaniu nie jest obsługiwane w tym systemie (%s).</translation>
    </message>
    <message>
        <source>trayapp&apos;s entry is switched off in the system&apos;s startup settings (%s), so it does not start at login. Tick to switch it on again.</source>
        <translation>Wpis trayapp jest wyłączony w ustawieniach autostartu systemu (%s), więc program nie uruchamia się przy logowaniu. Zaznacz, aby włączyć go ponownie.</translation>
    </message>
    <message>
        <source>Start at login may not work: %s</source>
        <translation>Uruchamianie przy logowaniu może nie działać: %s</translation>
    </message>
    <message>
        <source>trayapp starts in the tray when you log in (%s).</source>
        <translation>trayapp uruchamia się w zasobniku systemowym po zalogowaniu (%s).</translation>
    </message>
    <message>
        <source>Start trayapp in the tray when you log in (no window comes up).</source>
        <translation>Uruchamiaj trayapp w zasobniku systemowym po zalogowaniu (bez otwierania okna).</translation>
    </message>
</context>
<context>
    <name>StatusMapPage</name>
    <message>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>row %d: give both statuses, or remove the row</source>
        <translation>wiersz %d: podaj oba statusy albo usuń wiersz</translation>
    </message>
    <message>
        <source>status &apos;%s&apos; is mapped twice</source>
        <translation>status „%s” jest przypisany dwa razy</translation>
    </message>
    <message>
        <source>ERP status</source>
        <translation>Status w ERP</translation>
    </message>
    <message>
        <source>Shop status</source>
        <translation>Status w sklepie</translation>
    </message>
    <message>
        <source>ERP → shop (update order statuses)</source>
        <translation>ERP → sklep (aktualizacja statusów zamówień)</translation>
    </message>
    <message>
        <source>When an order&apos;s status changes in the ERP, the shop gets the status on the right. ERP statuses not listed are not sent.</source>
        <translation>Gdy status zamówienia zmieni się w ERP, sklep dostaje status z prawej kolumny. Statusy ERP spoza listy nie są wysyłane.</translation>
    </message>
    <message>
        <source>Shop → ERP (import orders)</source>
        <translation>Sklep → ERP (import zamówień)</translation>
    </message>
    <message>
        <source>An imported order gets the ERP status on the right of its shop status.</source>
        <translation>Zaimportowane zamówienie dostaje status ERP podany z prawej strony jego statusu w sklepie.</translation>
    </message>
    <message>
        <source>Status mapping</source>
        <translation>Mapowanie statusów</translation>
    </message>
    <message>
        <source>Shop → ERP</source>
        <translation>Sklep → ERP</translation>
    </message>
    <message>
        <source>ERP → shop</source>
        <translation>ERP → sklep</translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>Sync now</source>
        <translation>Synchronizuj teraz</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
    <message>
        <source>There is no system tray on this desktop, so trayapp shows this window instead. Closing it keeps synchronisation running; start trayapp again to bring it back, or use Quit to stop.</source>
        <translation>Ten pulpit nie ma zasobnika systemowego, więc trayapp pokazuje zamiast niego to okno. Zamknięcie okna nie zatrzymuje synchronizacji; uruchom trayapp ponownie, aby je przywrócić, albo wybierz Zakończ, aby zatrzymać.</translation>
    </message>
    <message>
        <source>trayapp - %s</source>
        <translation>trayapp – %s</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <source>Operation</source>
        <translation>Operacja</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>To create</source>
        <translation>Do utworzenia</translation>
    </message>
    <message>
        <source>To update</source>
        <translation>Do aktualizacji</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Pominięte</translation>
    </message>
    <message>
        <source>Would fail</source>
        <translation>Byłby błąd</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Czas trwania</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Uwagi</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Utworzono</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Zaktualizowano</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Błędy</translation>
    </message>
    <message>
        <source>%.1f s</source>
        <translation>%.1f s</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Sync now</source>
        <translation>Synchronizuj teraz</translation>
    </message>
    <message>
        <source>Manual sync…</source>
        <translation>Synchronizacja ręczna…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Ustawienia…</translation>
    </message>
    <message>
        <source>Event history…</source>
        <translation>Historia zdarzeń…</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Otwórz folder logów</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Uruchamiaj przy logowaniu</translation>
    </message>
    <message>
        <source>Background service</source>
        <translation>Usługa w tle</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Sprawdzanie…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Uruchom</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Zatrzymaj</translation>
    </message>
    <message>
        <source>Status…</source>
        <translation>Stan…</translation>
    </message>
    <message>
        <source>About trayapp</source>
        <translation>O programie trayapp</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
    <message>
        <source>No integration configured</source>
        <translation>Brak skonfigurowanej integracji</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Wszystkie</translation>
    </message>
    <message>
        <source>Every enabled operation of %s, one after the other</source>
        <translation>Wszystkie włączone operacje integracji %s, jedna po drugiej</translation>
    </message>
    <message>
        <source>No operation enabled</source>
        <translation>Żadna operacja nie jest włączona</translation>
    </message>
    <message>
        <source>%s (running)</source>
        <translation>%s (w toku)</translation>
    </message>
    <message>
        <source>Sync now: %s</source>
        <translation>Synchronizuj teraz: %s</translation>
    </message>
    <message>
        <source>Could not start: %s</source>
        <translation>Nie udało się uruchomić: %s</translation>
    </message>
    <message>
        <source>No file manager could open the log folder. It is:
%s</source>
        <translation>Żaden menedżer plików nie otworzył folderu logów. Folder to:
%s</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;trayapp %(version)s&lt;/b&gt; - the Integration Scheduler: keeps an ERP database and online shops in sync.&lt;/p&gt;&lt;p&gt;Configuration: %(config)s&lt;br&gt;Data (journal, demo): %(data)s&lt;br&gt;Logs: %(logs)s&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;trayapp %(version)s&lt;/b&gt; – harmonogram integracji: synchronizuje bazę danych ERP ze sklepami internetowymi.&lt;/p&gt;&lt;p&gt;Konfiguracja: %(config)s&lt;br&gt;Dane (dziennik, demo): %(data)s&lt;br&gt;Logi: %(logs)s&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Welcome to trayapp</source>
        <translation>Witamy w trayapp</translation>
    </message>
    <message>
        <source>No integration is set up yet.

The demo connects a demo ERP database to a demo shop running on this computer, so you can watch orders, products and stock flow within a minute. Nothing outside this computer is touched.</source>
        <translation>Nie skonfigurowano jeszcze żadnej integracji.

Wersja demonstracyjna łączy przykładową bazę ERP z przykładowym sklepem działającym na tym komputerze – w ciągu minuty zobaczysz przepływ zamówień, produktów i stanów magazynowych. Nic poza tym komputerem nie jest zmieniane.</translation>
    </message>
    <message>
        <source>To connect your own ERP database and shop, open the settings.</source>
        <translation>Aby połączyć własną bazę ERP i sklep, otwórz ustawienia.</translation>
    </message>
    <message>
        <source>Create the demo integration</source>
        <translation>Utwórz integrację demonstracyjną</translation>
    </message>
    <message>
        <source>Open settings</source>
        <translation>Otwórz ustawienia</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Nie teraz</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <source>The demo could not start: %s</source>
        <translation>Nie udało się uruchomić wersji demonstracyjnej: %s</translation>
    </message>
    <message>
        <source>Demo started</source>
        <translation>Uruchomiono wersję demonstracyjną</translation>
    </message>
    <message>
        <source>A demo shop runs at %s and places an order now and then; the demo integration syncs it with the demo ERP. Watch the icon and its tooltip.</source>
        <translation>Sklep demonstracyjny działa pod adresem %s i co jakiś czas składa zamówienie; integracja demonstracyjna synchronizuje go z demonstracyjnym ERP. Obserwuj ikonę i jej podpowiedź.</translation>
    </message>
    <message>
        <source>Not available here</source>
        <translation>Niedostępna w tym systemie</translation>
    </message>
    <message>
        <source>Not installed</source>
        <translation>Niezainstalowana</translation>
    </message>
    <message>
        <source>The background service is not installed. To install it, in a terminal: %s</source>
        <translation>Usługa w tle nie jest zainstalowana. Aby ją zainstalować, w terminalu: %s</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Działa</translation>
    </message>
    <message>
        <source>Installed (whether it runs is not known here)</source>
        <translation>Zainstalowana (nie wiadomo, czy działa)</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Zatrzymana</translation>
    </message>
    <message>
        <source>trayapp-cli service %s (as administrator)</source>
        <translation>trayapp-cli service %s (jako administrator)</translation>
    </message>
    <message>
        <source>The background service could not be started.</source>
        <translation>Nie udało się uruchomić usługi w tle.</translation>
    </message>
    <message>
        <source>The background service could not be stopped.</source>
        <translation>Nie udało się zatrzymać usługi w tle.</translation>
    </message>
    <message>
        <source>You may need administrator rights; in a terminal: %s</source>
        <translation>Mogą być potrzebne uprawnienia administratora; w terminalu: %s</translation>
    </message>
    <message>
        <source>Background service started</source>
        <translation>Usługa w tle uruchomiona</translation>
    </message>
    <message>
        <source>The background service runs the integrations this app does not already run.</source>
        <translation>Usługa w tle synchronizuje integracje, których nie synchronizuje już ten program.</translation>
    </message>
    <message>
        <source>Background service stopped</source>
        <translation>Usługa w tle zatrzymana</translation>
    </message>
    <message>
        <source>This app runs the integrations the background service ran, within seconds.</source>
        <translation>W ciągu kilku sekund ten program przejmie integracje, które synchronizowała usługa w tle.</translation>
    </message>
    <message>
        <source>The background service is not available here:
%s</source>
        <translation>Usługa w tle nie jest dostępna w tym systemie:
%s</translation>
    </message>
    <message>
        <source>its state is not known</source>
        <translation>jej stan jest nieznany</translation>
    </message>
    <message>
        <source>The background service is not installed.

It runs synchronisation when nobody is logged in. To install it, in a terminal: %s</source>
        <translation>Usługa w tle nie jest zainstalowana.

Synchronizuje, gdy nikt nie jest zalogowany. Aby ją zainstalować, w terminalu: %s</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>nie wiadomo</translation>
    </message>
    <message>
        <source>Running: %s</source>
        <translation>Działa: %s</translation>
    </message>
    <message>
        <source>Starts with the computer: %s</source>
        <translation>Uruchamiana ze startem komputera: %s</translation>
    </message>
    <message>
        <source>Defined in: %s</source>
        <translation>Definicja: %s</translation>
    </message>
    <message>
        <source>Runs as: %s</source>
        <translation>Działa jako: %s</translation>
    </message>
    <message>
        <source>Integrations a scheduler runs: %s</source>
        <translation>Integracje prowadzone przez harmonogram: %s</translation>
    </message>
    <message>
        <source>Run by another process, not by this app: %s</source>
        <translation>Prowadzone przez inny proces, nie przez ten program: %s</translation>
    </message>
    <message>
        <source>The configuration file has an error</source>
        <translation>Plik konfiguracji zawiera błąd</translation>
    </message>
    <message>
        <source>%s
The previous settings stay in effect until the file is fixed.</source>
        <translation>%s
Do czasu poprawienia pliku obowiązują poprzednie ustawienia.</translation>
    </message>
    <message>
        <source>%(integration)s: %(operation)s failed</source>
        <translation>%(integration)s: %(operation)s – błąd</translation>
    </message>
    <message>
        <source>%(integration)s: %(operation)s works again</source>
        <translation>%(integration)s: %(operation)s – znowu działa</translation>
    </message>
    <message>
        <source>The last run finished without errors (%s).</source>
        <translation>Ostatni przebieg zakończył się bez błędów (%s).</translation>
    </message>
    <message>
        <source>The run failed; see the log.</source>
        <translation>Przebieg zakończył się błędem; szczegóły w logu.</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) could not be synced; the others were. They are retried on the next run.</source>
        <translation>
            <numerusform>Nie udało się zsynchronizować %n rekordu; pozostałe zsynchronizowano. Zostanie ponowiony przy następnym przebiegu.</numerusform>
            <numerusform>Nie udało się zsynchronizować %n rekordów; pozostałe zsynchronizowano. Zostaną ponowione przy następnym przebiegu.</numerusform>
            <numerusform>Nie udało się zsynchronizować %n rekordów; pozostałe zsynchronizowano. Zostaną ponowione przy następnym przebiegu.</numerusform>
        </translation>
    </message>
    <message>
        <source>Start automatic sync</source>
        <translation>Włącz automatyczną synchronizację</translation>
    </message>
    <message>
        <source>Stop automatic sync</source>
        <translation>Wyłącz automatyczną synchronizację</translation>
    </message>
    <message>
        <source>Stopping: waiting for running operations…</source>
        <translation>Zatrzymywanie: czekam na trwające operacje…</translation>
    </message>
    <message>
        <source>run by the background service</source>
        <translation>prowadzi usługa w tle</translation>
    </message>
    <message>
        <source>run by another trayapp process</source>
        <translation>prowadzi inny proces trayapp</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Zatrzymywanie…</translation>
    </message>
    <message>
        <source>Syncing: %(integration)s - %(operation)s</source>
        <translation>Synchronizacja: %(integration)s – %(operation)s</translation>
    </message>
    <message numerus="yes">
        <source>(+%n more)</source>
        <translation>
            <numerusform>(+%n kolejna)</numerusform>
            <numerusform>(+%n kolejne)</numerusform>
            <numerusform>(+%n kolejnych)</numerusform>
        </translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Uruchamianie…</translation>
    </message>
    <message>
        <source>The configuration file has an error; changes are not applied</source>
        <translation>Plik konfiguracji zawiera błąd; zmiany nie są stosowane</translation>
    </message>
    <message numerus="yes">
        <source>Run by the background service; %n operation(s) failing</source>
        <translation>
            <numerusform>Prowadzi usługa w tle; %n operacja z błędem</numerusform>
            <numerusform>Prowadzi usługa w tle; %n operacje z błędem</numerusform>
            <numerusform>Prowadzi usługa w tle; %n operacji z błędem</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Run by another trayapp process; %n operation(s) failing</source>
        <translation>
            <numerusform>Prowadzi inny proces trayapp; %n operacja z błędem</numerusform>
            <numerusform>Prowadzi inny proces trayapp; %n operacje z błędem</numerusform>
            <numerusform>Prowadzi inny proces trayapp; %n operacji z błędem</numerusform>
        </translation>
    </message>
    <message>
        <source>Automatic sync is on, run by the background service</source>
        <translation>Automatyczna synchronizacja włączona, prowadzi ją usługa w tle</translation>
    </message>
    <message>
        <source>Automatic sync is on, run by another trayapp process</source>
        <translation>Automatyczna synchronizacja włączona, prowadzi ją inny proces trayapp</translation>
    </message>
    <message>
        <source>Automatic sync is stopped</source>
        <translation>Automatyczna synchronizacja jest wyłączona</translation>
    </message>
    <message>
        <source>Automatic sync: nothing to run (no active integration)</source>
        <translation>Automatyczna synchronizacja: nic do wykonania (brak aktywnej integracji)</translation>
    </message>
    <message numerus="yes">
        <source>Automatic sync is on; %n operation(s) failing</source>
        <translation>
            <numerusform>Automatyczna synchronizacja włączona; %n operacja z błędem</numerusform>
            <numerusform>Automatyczna synchronizacja włączona; %n operacje z błędem</numerusform>
            <numerusform>Automatyczna synchronizacja włączona; %n operacji z błędem</numerusform>
        </translation>
    </message>
    <message>
        <source>Automatic sync is on</source>
        <translation>Automatyczna synchronizacja włączona</translation>
    </message>
    <message>
        <source>trayapp: %s</source>
        <translation>trayapp: %s</translation>
    </message>
    <message>
        <source>never run</source>
        <translation>jeszcze nie uruchamiana</translation>
    </message>
    <message>
        <source>last: %(operation)s %(status)s at %(time)s (%(counts)s)</source>
        <translation>ostatnio: %(operation)s – %(status)s o %(time)s (%(counts)s)</translation>
    </message>
    <message>
        <source>%(integration)s: %(last)s; %(next)s</source>
        <translation>%(integration)s: %(last)s; %(next)s</translation>
    </message>
    <message>
        <source>failing: %s</source>
        <translation>z błędem: %s</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>nieaktywna</translation>
    </message>
    <message>
        <source>automatic sync off</source>
        <translation>automatyczna synchronizacja wyłączona</translation>
    </message>
    <message>
        <source>automatic sync stopped</source>
        <translation>automatyczna synchronizacja zatrzymana</translation>
    </message>
    <message>
        <source>no operation enabled</source>
        <translation>żadna operacja nie jest włączona</translation>
    </message>
    <message>
        <source>not scheduled</source>
        <translation>nie zaplanowano</translation>
    </message>
    <message>
        <source>next: %s</source>
        <translation>następnie: %s</translation>
    </message>
    <message>
        <source>trayapp is stopping</source>
        <translation>trayapp kończy pracę</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for %n running operation(s) to finish or roll back…</source>
        <translation>
            <numerusform>Czekam, aż %n trwająca operacja się zakończy lub wycofa…</numerusform>
            <numerusform>Czekam, aż %n trwające operacje się zakończą lub wycofają…</numerusform>
            <numerusform>Czekam, aż %n trwających operacji się zakończy lub wycofa…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Weekday</name>
    <message>
        <source>Mon</source>
        <translation>pn</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>wt</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>śr</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>cz</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>pt</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>sb</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>nd</translation>
    </message>
</context>
</TS>
