#include "ChecksPanel.h"

#include "CheckResultsModel.h"
#include "PanelText.h"
#include "ThemedIcons.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

namespace dbops::ui {

namespace {

QString escaped(const QString& text)
{
    return text.toHtmlEscaped();
}

} // namespace

ChecksPanel::ChecksPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new CheckResultsModel(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    auto* top = new QHBoxLayout;
    top->setSpacing(10);
    m_summaryIcon = new QLabel;
    m_summaryIcon->setFixedSize(28, 28);
    top->addWidget(m_summaryIcon);
    m_summary = new QLabel;
    m_summary->setTextFormat(Qt::PlainText);
    QFont summaryFont = m_summary->font();
    if (summaryFont.pointSizeF() > 0)
        summaryFont.setPointSizeF(summaryFont.pointSizeF() * 1.3);
    else
        summaryFont.setPixelSize(qRound(summaryFont.pixelSize() * 1.3));
    summaryFont.setBold(true);
    m_summary->setFont(summaryFont);
    auto* summaryLines = new QVBoxLayout;
    summaryLines->setSpacing(2);
    summaryLines->addWidget(m_summary);
    // What can be done about the failures, visible without hovering over Apply fix.
    m_hint = new QLabel;
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    summaryLines->addWidget(m_hint);
    top->addLayout(summaryLines);
    m_busyLabel = new QLabel(tr("Running checks…"));
    m_busyLabel->hide();
    top->addWidget(m_busyLabel);
    top->addStretch(1);
    auto* icons = new ThemedIcons(this);
    m_run = new QPushButton(tr("Run checks"));
    icons->set(m_run, QStringLiteral("run"));
    top->addWidget(m_run);
    m_applyFix = new QPushButton(tr("Apply fix…"));
    icons->set(m_applyFix, QStringLiteral("apply"));
    // Disabled rather than hidden, with the reason as its tooltip: a hidden
    // button could not say why there is nothing to apply.
    top->addWidget(m_applyFix);
    layout->addLayout(top);

    m_stack = new QStackedWidget;
    m_placeholder = PanelText::placeholderLabel();
    m_stack->addWidget(m_placeholder);

    m_splitter = new QSplitter(Qt::Vertical);
    m_tree = new QTreeView;
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setAccessibleName(tr("Check results"));
    QHeaderView* header = m_tree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(CheckResultsModel::CheckColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(CheckResultsModel::ExpectedColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(CheckResultsModel::ActualColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(CheckResultsModel::ResultColumn, QHeaderView::Fixed);
    header->resizeSection(CheckResultsModel::CheckColumn, 280);
    header->resizeSection(CheckResultsModel::ExpectedColumn, 150);
    // Room for the icon and "error" with a margin, in the view's font.
    header->resizeSection(CheckResultsModel::ResultColumn,
        m_tree->fontMetrics().horizontalAdvance(QStringLiteral("error")) + 52);
    m_splitter->addWidget(m_tree);

    m_detail = new QTextBrowser;
    m_detail->setOpenLinks(false);
    m_detail->setAccessibleName(tr("Check details"));
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_stack->addWidget(m_splitter);
    layout->addWidget(m_stack, 1);

    auto* refresh = new QShortcut(QKeySequence::Refresh, this);
    refresh->setContext(Qt::WidgetWithChildrenShortcut);
    connect(refresh, &QShortcut::activated, this, [this] {
        if (m_run->isEnabled())
            Q_EMIT checksRequested();
    });
    connect(m_run, &QPushButton::clicked, this, &ChecksPanel::checksRequested);
    connect(m_applyFix, &QPushButton::clicked, this, &ChecksPanel::requestFix);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateDetail();
        updateButtons();
    });

    updateSummary();
    updateButtons();
    updateDetail();
    showPlaceholderOrResults();
}

ChecksPanel::~ChecksPanel() = default;

void ChecksPanel::setReport(const CheckReport& report)
{
    const QString previous = selectedCheck();
    m_model->setReport(report);
    expandFailingChecks();
    if (previous.isEmpty() || !selectCheck(previous)) {
        for (const CheckOutcome& outcome : report.outcomes) {
            if (!outcome.ok()) {
                selectCheck(outcome.name);
                break;
            }
        }
    }
    updateSummary();
    updateButtons();
    updateDetail();
    showPlaceholderOrResults();
}

void ChecksPanel::clearReport()
{
    m_model->clear();
    updateSummary();
    updateButtons();
    updateDetail();
    showPlaceholderOrResults();
}

CheckReport ChecksPanel::report() const
{
    return m_model->report();
}

bool ChecksPanel::hasReport() const
{
    return m_model->hasReport();
}

void ChecksPanel::setFixes(const QList<FixDefinition>& fixes)
{
    m_fixByCheck.clear();
    for (const FixDefinition& fix : fixes) {
        if (!m_fixByCheck.contains(fix.repairs))
            m_fixByCheck.insert(fix.repairs, fix);
    }
    updateSummary();
    updateButtons();
    updateDetail();
}

QString ChecksPanel::fixFor(const QString& check) const
{
    const auto found = m_fixByCheck.constFind(check);
    return found == m_fixByCheck.constEnd() ? QString() : found->name;
}

void ChecksPanel::setWriteAllowed(bool allowed)
{
    m_writeAllowed = allowed;
    updateSummary();
    updateButtons();
}

void ChecksPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_busyLabel->setVisible(busy);
    updateButtons();
    showPlaceholderOrResults();
}

void ChecksPanel::setRunAvailable(bool available, const QString& reason)
{
    m_runAvailable = available;
    m_runUnavailableReason = reason;
    updateButtons();
}

QString ChecksPanel::selectedCheck() const
{
    const CheckOutcome* outcome = m_model->outcomeAt(m_tree->currentIndex());
    return outcome ? outcome->name : QString();
}

bool ChecksPanel::selectCheck(const QString& name)
{
    const int row = m_model->rowOfCheck(name);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, 0);
    m_tree->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
    return true;
}

QString ChecksPanel::summaryText() const
{
    return m_model->summaryText();
}

QString ChecksPanel::hintText() const
{
    return m_hint->text();
}

QString ChecksPanel::applyFixBlocker() const
{
    if (m_busy)
        return tr("Wait for the running checks to finish");
    // Read-only first: no selection would make it possible.
    if (!m_writeAllowed)
        return tr("This connection profile is read-only: a fix changes data, so it cannot run here");
    const CheckOutcome* outcome = m_model->outcomeAt(m_tree->currentIndex());
    if (!outcome)
        return tr("Select a failing check to repair it");
    if (outcome->error)
        return tr("“%1” could not run: correct the check's query before fixing the data").arg(outcome->name);
    if (outcome->ok())
        return tr("“%1” passes: there is nothing to repair").arg(outcome->name);
    if (!m_fixByCheck.contains(outcome->name))
        return tr("No fix repairs “%1” (a fix names it in “-- repairs:”)").arg(outcome->name);
    return {};
}

QString ChecksPanel::applyFixReason() const
{
    const QString blocker = applyFixBlocker();
    if (!blocker.isEmpty())
        return blocker;
    const FixDefinition fix = m_fixByCheck.value(selectedCheck());
    QString text = tr("Run the fix “%1” to repair “%2”").arg(fix.name, fix.repairs);
    if (!fix.description.isEmpty())
        text += QStringLiteral(":\n") + fix.description;
    return text;
}

void ChecksPanel::updateButtons()
{
    const bool canRun = m_runAvailable && !m_busy;
    m_run->setEnabled(canRun);
    if (!m_runAvailable && !m_runUnavailableReason.isEmpty())
        m_run->setToolTip(m_runUnavailableReason);
    else
        m_run->setToolTip(tr("Run every data check, read-only (F5)"));
    m_applyFix->setEnabled(applyFixBlocker().isEmpty());
    m_applyFix->setToolTip(applyFixReason());
}

void ChecksPanel::requestFix()
{
    if (!applyFixBlocker().isEmpty())
        return;
    Q_EMIT applyFixRequested(fixFor(selectedCheck()));
}

void ChecksPanel::updateSummary()
{
    const bool has = m_model->hasReport();
    m_summary->setText(has ? m_model->summaryText() : tr("Data checks"));
    QStringList hints;
    int fixable = 0;
    for (const CheckOutcome& outcome : m_model->report().outcomes)
        fixable += !outcome.ok() && !outcome.error && m_fixByCheck.contains(outcome.name) ? 1 : 0;
    if (fixable == 1)
        hints.append(tr("1 failing check has a fix"));
    else if (fixable > 1)
        hints.append(tr("%1 failing checks have a fix").arg(fixable));
    if (!m_writeAllowed)
        hints.append(tr("Read-only profile: fixes cannot run here"));
    m_hint->setText(hints.join(QStringLiteral("  ·  ")));
    m_hint->setVisible(!hints.isEmpty());
    if (!has || m_model->report().outcomes.isEmpty()) {
        m_summaryIcon->clear();
        return;
    }
    CheckResultsModel::Result worst = CheckResultsModel::Result::Pass;
    if (m_model->failedCount() > m_model->errorCount())
        worst = CheckResultsModel::Result::Fail;
    else if (m_model->errorCount() > 0)
        worst = CheckResultsModel::Result::Error;
    m_summaryIcon->setPixmap(m_model->resultIcon(worst).pixmap(QSize(26, 26)));
}

void ChecksPanel::showPlaceholderOrResults()
{
    if (m_model->hasReport()) {
        m_stack->setCurrentWidget(m_splitter);
        return;
    }
    m_placeholder->setText(m_busy
            ? tr("Running checks…")
            : tr("Run the checks to see whether the data is as the migrations leave it"));
    m_stack->setCurrentWidget(m_placeholder);
}

void ChecksPanel::expandFailingChecks()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const CheckOutcome* outcome = m_model->outcomeAt(index);
        m_tree->setExpanded(index, outcome && !outcome->ok());
    }
}

void ChecksPanel::updateDetail()
{
    const CheckOutcome* outcome = m_model->outcomeAt(m_tree->currentIndex());
    if (!outcome) {
        m_detail->setHtml(m_model->hasReport()
                ? QStringLiteral("<p>%1</p>").arg(escaped(tr("Select a check to see its details.")))
                : QString());
        return;
    }
    const CheckResultsModel::Result result = CheckResultsModel::resultOf(*outcome);
    const QString color = CheckResultsModel::resultColor(result).name();
    QString html;
    html += QStringLiteral("<h3>%1</h3>").arg(escaped(outcome->name));
    if (!outcome->description.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(escaped(outcome->description));

    QStringList facts;
    facts.append(QStringLiteral("<b style=\"color:%1\">%2</b>")
                     .arg(color, escaped(CheckResultsModel::resultName(result).toUpper())));
    if (!outcome->filePath.isEmpty())
        facts.append(escaped(QFileInfo(outcome->filePath).fileName()
            + (outcome->line > 0 ? QString(QLatin1Char(':') + QString::number(outcome->line)) : QString())));
    if (!outcome->error)
        facts.append(escaped(tr("%1 ms").arg(outcome->milliseconds)));
    html += QStringLiteral("<p>%1</p>").arg(facts.join(QStringLiteral(" &nbsp;·&nbsp; ")));

    if (outcome->error) {
        html += QStringLiteral("<p><b>%1</b></p><pre>%2</pre>")
                    .arg(escaped(tr("The check's query failed:")), escaped(outcome->error->toString()));
    } else if (outcome->rows.isEmpty()) {
        html += QStringLiteral("<p>%1</p>")
                    .arg(escaped(tr("The query returned no rows; a check must return at least one.")));
    } else {
        // Every row in full: the tree cuts long values (the list of active factors) short.
        html += QStringLiteral(
            "<table cellspacing=\"0\" cellpadding=\"4\" border=\"1\" "
            "style=\"border-collapse: collapse\"><tr><th align=\"left\">%1</th>"
            "<th align=\"left\">%2</th><th align=\"left\">%3</th><th align=\"left\">%4</th></tr>")
                    .arg(escaped(tr("Check")), escaped(tr("Expected")), escaped(tr("Actual")),
                        escaped(tr("Result")));
        for (const CheckRow& row : outcome->rows) {
            const CheckResultsModel::Result rowResult
                = row.ok ? CheckResultsModel::Result::Pass : CheckResultsModel::Result::Fail;
            html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td>"
                                   "<td style=\"color:%4\"><b>%5</b></td></tr>")
                        .arg(escaped(row.check), escaped(row.expected), escaped(row.actual),
                            CheckResultsModel::resultColor(rowResult).name(),
                            escaped(CheckResultsModel::resultName(rowResult)));
        }
        html += QStringLiteral("</table>");
    }

    const auto fix = m_fixByCheck.constFind(outcome->name);
    if (fix != m_fixByCheck.constEnd()) {
        html += QStringLiteral("<p>%1 <b>%2</b>%3</p>")
                    .arg(escaped(tr("Fix:")), escaped(fix->name),
                        fix->description.isEmpty()
                            ? QString()
                            : QString(QStringLiteral(" — ") + escaped(fix->description)));
    } else if (!outcome->ok()) {
        html += QStringLiteral("<p><i>%1</i></p>").arg(escaped(tr("No fix repairs this check.")));
    }
    m_detail->setHtml(html);
}

} // namespace dbops::ui
