#pragma once

#include "connection/ProfileStore.h"
#include "fleet/FleetRollout.h"

#include <QDialog>
#include <memory>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace dbops {
class FleetRolloutController;
class MigrationRepository;
} // namespace dbops

namespace dbops::ui {

/// "Upgrade fleet": the console's `dbops fleet upgrade`.  It collects the
/// answers (target, canaries, batch size, keep going, the group's name typed
/// back for production databases, data loss accepted), shows what the core
/// would refuse (FleetRollout::refusalsBeforeStarting, the CLI's rules) and
/// runs the rollout in FleetRolloutController's thread with progress and
/// Cancel; at the end, one row per database and the report to save.
class FleetRolloutDialog : public QDialog
{
    Q_OBJECT
public:
    FleetRolloutDialog(const QString& group, ProfileStore store,
        std::shared_ptr<const MigrationRepository> repository, QWidget* parent = nullptr);
    ~FleetRolloutDialog() override;

    QSpinBox* canaryBox() const { return m_canaries; }
    QSpinBox* batchBox() const { return m_batch; }
    QCheckBox* keepGoingBox() const { return m_keepGoing; }
    QLineEdit* confirmField() const { return m_confirm; }
    /// The team's checklist, once for the whole rollout: shown (and every
    /// item required) when the fleet has production databases.
    QList<QCheckBox*> checklist() const { return m_checklist; }
    QPushButton* startButton() const { return m_start; }
    /// Why the rollout may not start ("" when it may).
    QString refusalText() const;
    QString logText() const;
    bool isRunning() const;
    const FleetRolloutReport& report() const { return m_report; }
    bool hasReport() const { return m_hasReport; }
    /// The HTML report (the same page `dbops fleet upgrade --html` writes) to `path`.
    std::optional<Error> saveReport(const QString& path) const;
    FleetRolloutController* controller() const { return m_controller.get(); }

Q_SIGNALS:
    void rolloutFinished();

protected:
    void reject() override;

private:
    FleetRolloutOptions options() const;
    void updateRefusals();
    void start();
    void showReport(const FleetRolloutReport& report);

    QString m_group;
    ProfileStore m_store;
    std::shared_ptr<const MigrationRepository> m_repository;
    std::unique_ptr<FleetRolloutController> m_controller;
    QList<FleetMember> m_members;
    QLineEdit* m_target = nullptr;
    QSpinBox* m_canaries = nullptr;
    QSpinBox* m_batch = nullptr;
    QCheckBox* m_keepGoing = nullptr;
    QLabel* m_productionLabel = nullptr;
    QLineEdit* m_confirm = nullptr;
    QCheckBox* m_dataLoss = nullptr;
    QList<QCheckBox*> m_checklist;
    QLabel* m_refusals = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QTableWidget* m_results = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_cancelRun = nullptr;
    QPushButton* m_saveReport = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    FleetRolloutReport m_report;
    bool m_hasReport = false;
};

} // namespace dbops::ui
