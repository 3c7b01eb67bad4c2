#pragma once

#include "connection/ConnectionProfile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace dbops {
class ConnectionTester;
}

namespace dbops::ui {

/// Edits one connection profile: paste a postgres:// URL to fill the fields,
/// SSL settings, production and read-only flags, the password (kept in the
/// keychain, never in the settings file) and "Test connection", which runs in
/// a thread of its own and shows the server version or the exact error.
/// Closing the dialog during a test never waits for the server.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileDialog(const ConnectionProfile& profile, QWidget* parent = nullptr);
    ~ProfileDialog() override;

    ConnectionProfile profile() const;
    QString password() const;
    /// Fills the fields from a URL or libpq keyword string; the error text otherwise.
    QString applyUrl(const QString& url);

    QLineEdit* urlEdit() const { return m_url; }
    QLabel* testResult() const { return m_testResult; }
    QPushButton* testButton() const { return m_test; }

protected:
    void accept() override;

private:
    void testConnection();

    QLineEdit* m_url = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_database = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QComboBox* m_sslmode = nullptr;
    QLineEdit* m_sslrootcert = nullptr;
    QLineEdit* m_extra = nullptr;
    QLineEdit* m_migrations = nullptr;
    QLineEdit* m_versionTable = nullptr;
    QLineEdit* m_shadow = nullptr;
    QCheckBox* m_production = nullptr;
    QCheckBox* m_readOnly = nullptr;
    QLineEdit* m_color = nullptr;
    QLineEdit* m_groups = nullptr;
    QSpinBox* m_lockTimeout = nullptr;
    QSpinBox* m_statementTimeout = nullptr;
    QPushButton* m_test = nullptr;
    QLabel* m_testResult = nullptr;
    QLabel* m_warnings = nullptr;
    ConnectionProfile m_base;
    ConnectionTester* m_tester = nullptr;
};

} // namespace dbops::ui
