<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ActivityModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActivityOutputView</name>
    <message>
        <source>Colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the output&apos;s ANSI colours, or the text without them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End this command and every process it started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files the selected entry touched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click a file to see its diff against the template in Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output of the selected entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an entry to see its output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It changed no files in its home or working directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It changed 1 file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It changed %1 files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(perhaps more: not all could be followed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 while it ran; click to see its diff in Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output truncated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[… earlier output was dropped; the last 64 KiB are kept …]
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stdout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stderr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No output yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No output.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActivityPoller</name>
    <message>
        <source>The sandbox %1 is gone (killed or timed out), and its activity log with it. The entries shown are what was read before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The activity log of %1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>The app keeps trying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local engine refused the API key the app read from %1. Put the right key there (`sudo ai2ind keys create` makes one), or start the app with AI2IN_API_KEY set to it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangeTreeModel</name>
    <message>
        <source>%1 (%2) → %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangesClient</name>
    <message>
        <source>The archive cannot be written to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangesPane</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, SHA-256 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter changed paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diff layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as patch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write every text change as one unified diff (git apply takes it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a changed file to see its diff.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unified diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side-by-side diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a sandbox to see what it changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This sandbox is not running; resume it to see its changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 added, %2 modified, %3 deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (the first %1 only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — no change from the template now: it was changed back, or is not there any more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — looking for it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A binary file: compared by size and hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too large to show as a diff: compared by size and hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A directory: its content is listed in the tree.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The content is the same; its mode, owner or time changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Template: %2
Sandbox: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as patch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patches (*.patch *.diff);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the patch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patch cannot be written to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as archive…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the changes as an archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the added and modified files as a tar, with a list of every change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tar archives (*.tar *.tar.gz *.tgz);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the archive…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the archive (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeCellView</name>
    <message>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output past %1 not kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n more output(s) not kept</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>[a PNG image that cannot be read]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[a JPEG image that cannot be read]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[%1 characters of markup, shown as text]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[a PDF document of %1, not shown here]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[JavaScript output, not run here]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… %1 characters of output not shown; the latest follow:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[cut: %1 more characters]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png);;JPEG images (*.jpg *.jpeg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image could not be written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run through the API (by an agent, or before this window opened); its main result as text only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeEditor</name>
    <message>
        <source>Python code — Ctrl+Enter runs it; Up and Down recall earlier inputs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodePane</name>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interrupt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart kernel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a sandbox to run Python code in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python code to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the code (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running cell (KeyboardInterrupt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a fresh kernel; every variable is lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart the kernel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart the kernel of %1? Every variable and import is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox is not running; resume it to run code. Its earlier cells stay here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeRunner</name>
    <message>
        <source>Stopped following the cell; it may still be running in the kernel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine sent an event too large to read; it was left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the engine broke before the cell ended: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine&apos;s answer ended before the cell did.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeSession</name>
    <message>
        <source>The interrupt did not reach the kernel: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel was not restarted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel restarted — variables are gone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandKills</name>
    <message>
        <source>Killed “%1” and what it started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Killed whatever “%1” had left running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” was not killed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What “%1” left running was not killed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandLogPane</name>
    <message>
        <source>Search commands and output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code cells</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest entry in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected entries with their output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the entries shown to a file (text, or JSON lines for .jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End the selected running commands and every process they started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill what it left running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command ended; end whatever it started that still runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command to run in the sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a command in the sandbox (bash -c)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start it and come back at once; its output appears in the log as it runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied one entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied %1 entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the command log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text (*.txt *.log);;JSON lines (*.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 entries to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” did not run: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” runs in the background as %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” exited with %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” was %2 (exit code %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Killing “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Killing %1 commands…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill what “%1” left running?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill what %1 ended commands left running?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill “%1”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill %1 running commands?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every process it started that still runs gets SIGTERM, then SIGKILL if still there 2 s later, also processes in groups of their own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command and every process it started get SIGTERM, then SIGKILL if still there 2 s later, also processes in groups of their own. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <source>Command palette</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type to find an action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find an action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1    %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineSet</name>
    <message>
        <source>The engine at %1 is already watched as &apos;%2&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileClashDialog</name>
    <message>
        <source>Do this for every name that is taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists already in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileDownload</name>
    <message>
        <source>Downloaded one file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloaded %1 files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 cannot be made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be listed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not downloaded: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The download was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileViewerDialog</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file cannot be shown: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a binary file; its first %1 are shown in hex.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is larger than %1; only its start is shown (truncated).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, read-only.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileWatch</name>
    <message>
        <source>Changes in the sandbox are not followed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the engine closed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes in the sandbox are no longer followed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilesPane</name>
    <message>
        <source>Renamed %1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a sandbox to browse its files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A folder in the sandbox, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the folder above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the folder again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hidden files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show files whose names start with a dot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a folder in the selected folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send files from this computer into the selected folder (or drag them onto it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the selected files and folders on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected files and folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files of the sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox is paused; resume it to browse its files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag files from your file manager onto a folder to upload them, or use Upload….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files can be uploaded only into a running sandbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload into %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Saved in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be a folder name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 was not made: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made the folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new folder in %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted one item.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 items.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not everything was deleted. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 from the sandbox?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete these %1 items from the sandbox?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders are deleted with everything in them. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only files up to %1 can be dragged out (%2); use Download… for folders and larger files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching %1 to drag out; drag again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <source>No API key is stored for &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyValueTable</name>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LocalEngineLauncher</name>
    <message>
        <source>Could not start %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engines run on Linux only; connect to one through a Remote connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Local connection points at %1, which is not an address of this computer, so the app does not start an engine for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The app cannot start one: ai2ind is neither beside it nor in PATH.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting an engine needs root: run `sudo ai2ind serve` or `./dev.sh run`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the &apos;base&apos; template (the first start takes a few minutes)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No engine answered, so the app is starting one on this computer at %1 (%2)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the &apos;base&apos; template: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the template failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (exit code %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>ai2in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandboxes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ai2ind %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last poll %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command palette…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the %1 tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter sandboxes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by id, template or metadata; key=value for an exact metadata pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running and paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ai2in — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add remote connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list shows the last known state; reconnecting by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the API key of this connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sandboxes yet. Create one with New sandbox, or from code:
from ai2in import Sandbox; sandbox = Sandbox()</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sandbox matches the filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engines whose sandboxes the list shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 engines connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All engines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ● %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ○ %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: ai2ind %2 on %3, at %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engines: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engines: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MetricsHistoryPoller</name>
    <message>
        <source>The sandbox %1 is gone (killed or timed out); the charts show what was read before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The metrics of %1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MetricsPane</name>
    <message>
        <source>Last minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU (% of one CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network (B/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network (MiB/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network (KiB/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of 1 CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1 CPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1, out %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sandbox selected — choose one to see its CPU, memory, processes and network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused — no readings while paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No readings yet — the engine reads a running sandbox once a second.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NetworkPolicyDialog</name>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network policy of %1; new connections follow it at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network policy of %1 (address %2); new connections follow it at once.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NetworkPolicyEditor</name>
    <message>
        <source>Internet access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>registry.npmjs.org
*.debian.org
198.51.100.0/24</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0.0.0.0/0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One rule per line: an IPv4 address, a CIDR, a host name or *.domain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destinations always open; the allow list wins over the deny list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destinations closed; 0.0.0.0/0 closes everything not allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow (one rule per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny (one rule per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every destination is open but those the deny list closes.
The host, other sandboxes and private ranges are always closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the allow list is reachable.
The host, other sandboxes and private ranges are always closed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NetworkPolicyForm</name>
    <message>
        <source>%1, line %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has %2 rules; at most %3 are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: no outgoing connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed except the allow list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open to the internet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open to the internet except the deny list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewSandboxDialog</name>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata (at most %1 bytes as JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name a template (the engine&apos;s default is &apos;base&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The metadata key &apos;%1&apos; appears twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The variable &apos;%1&apos; appears twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment variable name &apos;\1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment variable &apos;\1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverviewPane</name>
    <message>
        <source>Select a sandbox to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extend…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a new end time, counted from now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open or close destinations; new connections follow at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sandboxes selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>memory kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>processes stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when killed (no time limit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n CPU(s), </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 CPU, %2 memory, %3 processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loopback only: the engine gives this sandbox no network of its own</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewBar</name>
    <message>
        <source>Preview:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers listening in the sandbox, reachable at their preview URLs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No ports open — start a server in the sandbox to get a preview URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy link with access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whoever opens this link can use the preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (needs the sandbox&apos;s access token; opening it from here passes it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No browser opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No web browser could be opened on this computer. Open this address in one:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the preview URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the preview link of port %1 with its access token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the preview URL of port %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>New remote connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connection named &apos;%1&apos; exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine URL must be an http or https address, e.g. https://engine.example.com:7300.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the API key the engine gave you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PtySession</name>
    <message>
        <source>The engine did not answer within %1 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox is not running. Resume it and the terminal reconnects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 The terminal reconnects when it runs again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not start a terminal: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shell exited with code %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not connect to the terminal: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the terminal closed (%1). The sandbox may have been paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The app no longer speaks to the engine of this terminal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the engine&apos;s answer names no terminal.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Kill</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a local file; only files from this computer can be uploaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a regular file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RemoteFileModel</name>
    <message>
        <source>%1 cannot be listed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be a file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not renamed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <source>Export the report of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML pages (*.html *.htm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drawing the timeline of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The timeline could not be drawn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the report of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SandboxActions</name>
    <message>
        <source>New sandbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set timeout…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy Python snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write what happened in the sandbox to one HTML file, to attach to a bug report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating a sandbox from &apos;%1&apos;…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the sandbox: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing the network policy of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed the network policy of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not change the network policy of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pausing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resuming %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Killing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Kill %n sandboxes (%1)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Kill sandboxes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its processes stop and its whole filesystem is destroyed. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their processes stop and their whole filesystems are destroyed. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting the timeout of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set the timeout of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied a Python snippet for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gathering the report of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote the report of %1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export the report of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The app no longer watches the engine &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SandboxModel</name>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused since %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>memory kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>processes stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Killed at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No time limit: lives until killed (running sandboxes idle for 30 minutes are reaped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OOM killer ended 1 process since the sandbox started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OOM killer ended %1 processes since the sandbox started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SandboxNotifier</name>
    <message>
        <source>Sandbox %1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its first process ended; its commands are lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of memory in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OOM killer ended a process: the sandbox reached its %1 MiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OOM killer ended %1 processes: the sandbox reached its %2 MiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox %1 ends soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It will be killed in less than a minute, at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It will be killed in %1 minutes, at %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SessionReport</name>
    <message>
        <source>command (background)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code cell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lifecycle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set: it lives until killed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n CPUs, %1 memory, %2 disk</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not known: the engine does not tell a sandbox&apos;s environment variables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(names only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>internet access allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>internet access closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allowed out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>denied out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (no network of its own)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox&apos;s whole life on one time axis, as the app&apos;s Timeline tab draws it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No timeline picture was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>took %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pid %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>execution count %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The output was cut: the engine keeps only the last part of each stream.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It changed no files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files it changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some changes may be missing from this list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command log</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n entries: </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n commands, </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n code cells, </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them failed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Changes to the template&apos;s files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file differs from the template.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n paths differ from the template:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine stopped listing at its limit: more paths changed than are shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No text file changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every text change as a unified diff (binary files are only listed above); git apply -p1 applies it from /.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No readings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine kept no readings (it reads running sandboxes only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n readings over %1, as the engine keeps them (the last 15 minutes of running).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>CPU (%, 100 % = one CPU; %n CPUs)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>CPU (%, 100 % = one CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (limit %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ai2in session report: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session report of sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made %1 by ai2in-desktop %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, from engine ai2ind %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It holds the commands&apos; output and the changed files&apos; contents: look for secrets in them before you share it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SessionReportCollector</name>
    <message>
        <source>Reading %1 for its report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The changes could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patch could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The metrics could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command log could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The command log could be read only in part (%n entries): %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the first %n entries of the command log are in this report.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reading %1 for its report (%2 of %3 parts)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read sandbox %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetTimeoutDialog</name>
    <message>
        <source>Set timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New end time of %1, counted from now (at most 24 hours).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>New end time of %n sandboxes, counted from now (at most 24 hours).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Ask before killing sandboxes and commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sandbox fails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OOM killer ends a process in a sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warn this many minutes before a sandbox&apos;s end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min before its end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the list every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell me when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warn</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type to find a shortcut by name or key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New terminal in this sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the selected text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scroll back or forward a page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Oldest line or newest line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the cell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier or later input (on the first or last line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indent by four spaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill the selected running commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in or out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move back or forward a little</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move back or forward a page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the present</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SubmitDialog</name>
    <message>
        <source>The engine refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerminalPane</name>
    <message>
        <source>Connecting to the terminal…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[the previous terminal had ended; this is a new one]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerminalStack</name>
    <message>
        <source>Select one sandbox to open a terminal in it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerminalTab</name>
    <message>
        <source>New terminal in this sandbox (Ctrl+Shift+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminal %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelinePane</name>
    <message>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out (−, Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (+, Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit the whole life in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the sandbox&apos;s whole life at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the newest time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest time in view as things happen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 code cell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 code cells</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 file operation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 file operations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 terminals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one sandbox to see its timeline.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox&apos;s life on a time axis: lifecycle events, commands, code cells, file operations, terminals, CPU and memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scroll along the time axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scroll the lanes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code cell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a shell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to show it in the command log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU %1 of one CPU at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferPanel</name>
    <message>
        <source>Cancel all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploads finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One upload to go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 uploads to go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Show the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ai2in: no sandbox running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ai2in: 1 sandbox running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ai2in: %1 sandboxes running</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UploadQueue</name>
    <message>
        <source>%1 is %2; a sandbox takes files of at most %3, so it was not uploaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder was not made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not uploaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped: %1 exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding a free name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
