; Inno Setup 6 script: the Windows installer of trayapp.
;
;   python -m PyInstaller --noconfirm packaging\pyinstaller\trayapp.spec     (on Windows: dist\trayapp\)
;   python packaging\make_icons.py                                          (packaging\build\trayapp.ico)
;   iscc /DAppVersion=0.1.0 packaging\windows\trayapp.iss                   (dist\trayapp-0.1.0-setup.exe)
;
; Installs for the current user without administrator rights by default (Setup offers "install for
; all users", which asks for them). Tasks:
; - "Start trayapp when I log in" (on by default): `trayapp-cli.exe autostart enable`, run as the user
;   who started Setup, so the HKCU Run entry is theirs even when Setup was elevated;
; - "Install the background service" (off by default; only when installing with administrator
;   rights): `trayapp-cli.exe service install` - a Task Scheduler task at startup that runs whether the
;   user is logged on or not; schtasks asks for the user's Windows password in a console window.
; Uninstall removes both (the service first, while trayapp-cli.exe is still there).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Bundle "..\..\dist\trayapp"

[Setup]
AppId={{5B0E3C55-2F8B-4D61-9E7A-7C2B3A1D9F42}
AppName=trayapp
AppVerName=trayapp {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=trayapp
AppComments=Keeps an ERP database and online shops in sync
DefaultDirName={autopf}\trayapp
DefaultGroupName=trayapp
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=trayapp-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\trayapp.exe
UninstallDisplayName=trayapp
; a running trayapp.exe is closed (Restart Manager) before its files are replaced, and started again
CloseApplications=yes
RestartApplications=yes
#if FileExists(AddBackslash(SourcePath) + "..\build\trayapp.ico")
SetupIconFile=..\build\trayapp.ico
#endif

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "pl"; MessagesFile: "compiler:Languages\Polish.isl"

[CustomMessages]
en.StartGroup=Start:
en.AutostartTask=Start trayapp when I log in
en.ServiceGroup=Background service:
en.ServiceTask=Install the background service: synchronise at startup, even with nobody logged in (asks for your Windows password)
en.ServiceStatus=Registering the background service...
en.LaunchNow=Start trayapp now
pl.StartGroup=Uruchamianie:
pl.AutostartTask=Uruchamiaj trayapp po zalogowaniu
pl.ServiceGroup=Usługa w tle:
pl.ServiceTask=Zainstaluj usługę w tle: synchronizacja od startu komputera, także bez zalogowanego użytkownika (pyta o hasło Windows)
pl.ServiceStatus=Rejestrowanie usługi w tle...
pl.LaunchNow=Uruchom trayapp teraz

[Tasks]
Name: "autostart"; Description: "{cm:AutostartTask}"; GroupDescription: "{cm:StartGroup}"
Name: "service"; Description: "{cm:ServiceTask}"; GroupDescription: "{cm:ServiceGroup}"; Flags: unchecked; Check: IsAdminInstallMode

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\trayapp"; Filename: "{app}\trayapp.exe"; Comment: "Keeps an ERP database and online shops in sync"

[Run]
Filename: "{app}\trayapp-cli.exe"; Parameters: "autostart enable"; Flags: runhidden runasoriginaluser waituntilterminated; Tasks: autostart
Filename: "{app}\trayapp-cli.exe"; Parameters: "service install"; StatusMsg: "{cm:ServiceStatus}"; Flags: waituntilterminated; Tasks: service
Filename: "{app}\trayapp.exe"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent runasoriginaluser

[UninstallRun]
Filename: "{app}\trayapp-cli.exe"; Parameters: "service remove"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveService"
Filename: "{app}\trayapp-cli.exe"; Parameters: "autostart disable"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveAutostart"
