#include "ProfileDialog.h"

#include "worker/ConnectionTester.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace dbops::ui {

namespace {

/// Asks for less height than QScrollArea's 24 lines, so the dialog's size
/// hint with the messages and buttons below stays within a 768 px screen.
class FormScrollArea : public QScrollArea
{
public:
    QSize sizeHint() const override
    {
        QSize hint = QScrollArea::sizeHint();
        hint.setHeight(std::min(hint.height(), 18 * fontMetrics().height()));
        return hint;
    }
};

} // namespace

ProfileDialog::ProfileDialog(const ConnectionProfile& profile, QWidget* parent)
    : QDialog(parent)
    , m_base(profile)
    , m_tester(new ConnectionTester(this))
{
    setWindowTitle(
        profile.name.isEmpty() ? tr("New connection profile") : tr("Profile “%1”").arg(profile.name));
    auto* outer = new QVBoxLayout(this);
    // The form scrolls when the screen is short (1366x768 less the panels);
    // the messages and the buttons below it stay in view.
    auto* formArea = new FormScrollArea;
    formArea->setWidgetResizable(true);
    formArea->setFrameShape(QFrame::NoFrame);
    auto* formContent = new QWidget;
    auto* layout = new QVBoxLayout(formContent);
    layout->setContentsMargins(0, 0, 0, 0);

    m_url = new QLineEdit;
    m_url->setPlaceholderText(
        tr("Paste postgres://user:password@host:port/db?sslmode=require or host=… dbname=…"));
    m_url->setAccessibleName(tr("Connection URL"));
    m_url->setToolTip(
        tr("A URL as hosting providers print it, or libpq keywords; a password in it goes to the keychain"));
    auto* urlRow = new QFormLayout;
    urlRow->addRow(tr("&URL:"), m_url);
    layout->addLayout(urlRow);
    connect(m_url, &QLineEdit::editingFinished, this, [this] {
        if (!m_url->text().trimmed().isEmpty()) {
            const QString error = applyUrl(m_url->text());
            m_testResult->setText(error);
        }
    });

    auto* connectionBox = new QGroupBox(tr("Connection"));
    auto* form = new QFormLayout(connectionBox);
    m_name = new QLineEdit(profile.name);
    form->addRow(tr("&Name:"), m_name);
    m_host = new QLineEdit(profile.host);
    form->addRow(tr("&Host:"), m_host);
    m_port = new QSpinBox;
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("default (5432)"));
    m_port->setValue(profile.port);
    form->addRow(tr("&Port:"), m_port);
    m_database = new QLineEdit(profile.database);
    form->addRow(tr("&Database:"), m_database);
    m_user = new QLineEdit(profile.user);
    form->addRow(tr("U&ser:"), m_user);
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("stored in the OS keychain; empty: libpq's ~/.pgpass"));
    m_password->setAccessibleName(tr("Password"));
    form->addRow(tr("Pass&word:"), m_password);
    m_sslmode = new QComboBox;
    m_sslmode->addItems(
        { QString(), QStringLiteral("disable"), QStringLiteral("allow"), QStringLiteral("prefer"),
            QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full") });
    m_sslmode->setItemText(0, tr("default (prefer; require on production)"));
    m_sslmode->setCurrentIndex(std::max(0, m_sslmode->findText(profile.sslmode)));
    form->addRow(tr("SSL &mode:"), m_sslmode);
    m_sslrootcert = new QLineEdit(profile.sslrootcert);
    form->addRow(tr("SSL root certificate:"), m_sslrootcert);
    m_extra = new QLineEdit(profile.extraOptions);
    m_extra->setPlaceholderText(tr("further libpq keywords: key=value …"));
    form->addRow(tr("Extra options:"), m_extra);
    layout->addWidget(connectionBox);

    auto* safetyBox = new QGroupBox(tr("Migrations and safety"));
    auto* safety = new QFormLayout(safetyBox);
    m_migrations = new QLineEdit(profile.migrationsDirectory);
    m_migrations->setPlaceholderText(tr("default: the bundled migrations"));
    safety->addRow(tr("Migrations folder:"), m_migrations);
    m_versionTable = new QLineEdit(profile.versionTable);
    safety->addRow(tr("Version table:"), m_versionTable);
    m_shadow = new QLineEdit(profile.shadowUrl);
    m_shadow->setPlaceholderText(tr("server for throwaway audit databases (no password in it)"));
    safety->addRow(tr("Shadow server:"), m_shadow);
    m_production = new QCheckBox(tr("Production: guard every write with the checklist and the typed name"));
    m_production->setChecked(profile.production);
    safety->addRow(m_production);
    m_readOnly = new QCheckBox(tr("Read-only: never write through this profile"));
    m_readOnly->setChecked(profile.readOnly);
    safety->addRow(m_readOnly);
    m_color = new QLineEdit(profile.color);
    m_color->setPlaceholderText(QStringLiteral("#c62828"));
    safety->addRow(tr("Colour:"), m_color);
    m_groups = new QLineEdit(profile.groups.join(QStringLiteral(", ")));
    m_groups->setObjectName(QStringLiteral("profileGroups"));
    m_groups->setPlaceholderText(tr("fleet groups, comma-separated: prod-eu, staging"));
    m_groups->setToolTip(tr("The Fleet tab and 'dbops fleet' read every database of a group at once"));
    safety->addRow(tr("&Groups:"), m_groups);
    m_lockTimeout = new QSpinBox;
    m_lockTimeout->setRange(0, 3600);
    m_lockTimeout->setSuffix(tr(" s"));
    m_lockTimeout->setValue(profile.lockTimeoutSeconds);
    safety->addRow(tr("Lock timeout:"), m_lockTimeout);
    m_statementTimeout = new QSpinBox;
    m_statementTimeout->setRange(0, 86400);
    m_statementTimeout->setSuffix(tr(" s"));
    m_statementTimeout->setSpecialValueText(tr("none"));
    m_statementTimeout->setValue(profile.statementTimeoutSeconds);
    safety->addRow(tr("Statement timeout:"), m_statementTimeout);
    layout->addWidget(safetyBox);
    layout->addStretch(1);
    formArea->setWidget(formContent);
    outer->addWidget(formArea, 1);
    layout = outer;

    m_warnings = new QLabel;
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral("color: #b26a00;"));
    layout->addWidget(m_warnings);
    auto updateWarnings = [this] { m_warnings->setText(this->profile().warnings().join(QLatin1Char('\n'))); };
    connect(m_production, &QCheckBox::toggled, this, updateWarnings);
    connect(m_sslmode, qOverload<int>(&QComboBox::currentIndexChanged), this, updateWarnings);
    updateWarnings();

    m_testResult = new QLabel;
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult->setAccessibleName(tr("Test result"));
    m_testResult->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_testResult);
    // The messages below the form never move it: the test's answer has a
    // fixed height of four lines (libpq's reasons are long; the whole text is
    // in the tooltip too), the warnings three lines at least, and any spare
    // height goes to the stretch under them, not to the form.  A form that
    // jumped when "Connecting…" turned into an error took the next click to
    // the wrong checkbox ("Production").
    const int line = fontMetrics().lineSpacing();
    m_testResult->setFixedHeight(4 * line);
    m_warnings->setMinimumHeight(3 * line);
    m_warnings->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    m_test = buttons->addButton(tr("&Test connection"), QDialogButtonBox::ActionRole);
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_tester, &ConnectionTester::connectionTested, this,
        [this](bool ok, const QString& text, const Error& error) {
            m_test->setEnabled(true);
            m_testResult->setText(
                ok ? tr("Connected: %1").arg(text) : tr("Failed: %1").arg(error.toString()));
            m_testResult->setToolTip(m_testResult->text());
        });

    // Opens showing the whole form when the screen has room for it.
    QSize size = sizeHint();
    size.rheight() += formContent->sizeHint().height() - formArea->sizeHint().height();
    if (const QScreen* screen = parent ? parent->screen() : this->screen())
        size = size.boundedTo(screen->availableGeometry().size() - QSize(40, 60));
    resize(size.expandedTo(minimumSizeHint()));
}

// The tester goes with the dialog at once; a test still connecting ends in
// its own thread and its answer is dropped.
ProfileDialog::~ProfileDialog() = default;

QString ProfileDialog::applyUrl(const QString& url)
{
    Result<ConnectionSettings> settings = ConnectionSettings::parse(url);
    if (!settings)
        return settings.error().message;
    ConnectionProfile p = profile();
    p.applySettings(*settings);
    m_host->setText(p.host);
    m_port->setValue(p.port);
    m_database->setText(p.database);
    m_user->setText(p.user);
    m_sslmode->setCurrentIndex(std::max(0, m_sslmode->findText(p.sslmode)));
    m_sslrootcert->setText(p.sslrootcert);
    m_extra->setText(p.extraOptions);
    if (settings->hasPassword())
        m_password->setText(settings->password());
    if (m_name->text().isEmpty())
        m_name->setText(p.database.isEmpty() ? p.host : p.database);
    m_url->clear(); // the URL may hold a password: do not keep it on screen
    return {};
}

ConnectionProfile ProfileDialog::profile() const
{
    ConnectionProfile p = m_base;
    p.name = m_name->text().trimmed();
    p.host = m_host->text().trimmed();
    p.port = m_port->value();
    p.database = m_database->text().trimmed();
    p.user = m_user->text().trimmed();
    p.sslmode = m_sslmode->currentIndex() == 0 ? QString() : m_sslmode->currentText();
    p.sslrootcert = m_sslrootcert->text().trimmed();
    p.extraOptions = m_extra->text().trimmed();
    p.migrationsDirectory = m_migrations->text().trimmed();
    p.versionTable = m_versionTable->text().trimmed();
    p.shadowUrl = m_shadow->text().trimmed();
    p.production = m_production->isChecked();
    p.readOnly = m_readOnly->isChecked();
    p.color = m_color->text().trimmed();
    p.groups.clear();
    for (const QString& group : m_groups->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const QString name = group.trimmed(); !name.isEmpty() && !p.groups.contains(name))
            p.groups.append(name);
    }
    p.lockTimeoutSeconds = m_lockTimeout->value();
    p.statementTimeoutSeconds = m_statementTimeout->value();
    return p;
}

QString ProfileDialog::password() const
{
    return m_password->text();
}

void ProfileDialog::testConnection()
{
    const ConnectionProfile p = profile();
    Result<ConnectionSettings> settings = p.toSettings();
    if (!settings) {
        m_testResult->setText(settings.error().message);
        return;
    }
    ConnectionSettings s = settings.value();
    if (!password().isEmpty())
        s.setPassword(password());
    m_test->setEnabled(false);
    m_testResult->setText(tr("Connecting…"));
    m_tester->test(s);
}

void ProfileDialog::accept()
{
    const ConnectionProfile p = profile();
    if (auto error = p.validate()) {
        QMessageBox::warning(this, windowTitle(), error->message);
        return;
    }
    QDialog::accept();
}

} // namespace dbops::ui
