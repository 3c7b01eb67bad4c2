#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace dbops::ui {

/// The status bar's "Reconnect to production profile …?" with Reconnect and
/// Dismiss: at start a production profile is never reconnected on its own,
/// only offered.  Hidden until offered.
class ReopenOffer : public QWidget
{
    Q_OBJECT
public:
    explicit ReopenOffer(QWidget* parent = nullptr);

    void offer(const QString& profileName);
    /// Hides the offer and forgets its profile.
    void withdraw();
    /// The profile offered; empty when there is no offer.
    QString offeredProfile() const { return m_profile; }
    QPushButton* reconnectButton() const { return m_reconnect; }

Q_SIGNALS:
    void reconnectRequested(const QString& profileName);

private:
    QString m_profile;
    QLabel* m_label = nullptr;
    QPushButton* m_reconnect = nullptr;
};

} // namespace dbops::ui
