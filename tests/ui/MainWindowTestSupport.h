#pragma once

// Connecting the real console to the test database (tests/with-postgres.sh)
// and waiting until it is connected and has read the database, for the tests
// that drive MainWindow.
#include "MainWindow.h"
#include "session/ConsoleSession.h"

#include <QSignalSpy>
#include <QtGlobal>

namespace dbops::testing {

/// Runs `connect` (the window's connectToUrl or connectToProfile) and waits
/// for the chain a connect starts: the status, the audit, then the checks,
/// the last one.  False, with the reason as a warning, if the checks did not
/// arrive within `timeoutMs` or the window is not connected with a status
/// then: use as QVERIFY(connect…AndWait(…)).
template<typename Connect>
[[nodiscard]] bool connectAndWaitUntilRead(ui::MainWindow& window, Connect connect, int timeoutMs)
{
    QSignalSpy checks(window.session(), &ui::ConsoleSession::checksChanged);
    connect();
    if (!checks.wait(timeoutMs)) {
        qWarning("no checks within %d ms after the connect; status bar: %s", timeoutMs,
            qPrintable(window.statusText()));
        return false;
    }
    if (!window.session()->isConnected() || !window.session()->status()) {
        qWarning("not connected after the checks; status bar: %s", qPrintable(window.statusText()));
        return false;
    }
    return true;
}

[[nodiscard]] inline bool connectToUrlAndWait(
    ui::MainWindow& window, const QString& url, int timeoutMs = 60000)
{
    return connectAndWaitUntilRead(
        window, [&] { window.connectToUrl(url); }, timeoutMs);
}

[[nodiscard]] inline bool connectToProfileAndWait(
    ui::MainWindow& window, const QString& profileName, int timeoutMs = 60000)
{
    return connectAndWaitUntilRead(
        window, [&] { window.connectToProfile(profileName); }, timeoutMs);
}

} // namespace dbops::testing
