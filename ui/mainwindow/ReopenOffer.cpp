#include "ReopenOffer.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace dbops::ui {

ReopenOffer::ReopenOffer(QWidget* parent)
    : QWidget(parent)
{
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    m_label = new QLabel;
    row->addWidget(m_label);
    m_reconnect = new QPushButton(tr("Reconnect"));
    row->addWidget(m_reconnect);
    auto* dismiss = new QPushButton(tr("Dismiss"));
    row->addWidget(dismiss);
    hide();
    connect(m_reconnect, &QPushButton::clicked, this, [this] {
        const QString profile = m_profile; // a copy: reconnecting withdraws the offer
        Q_EMIT reconnectRequested(profile);
    });
    connect(dismiss, &QPushButton::clicked, this, &ReopenOffer::withdraw);
}

void ReopenOffer::offer(const QString& profileName)
{
    m_profile = profileName;
    m_label->setText(tr("Reconnect to production profile “%1”?").arg(profileName));
    m_reconnect->setToolTip(tr("Connect to the production profile “%1”").arg(profileName));
    show();
}

void ReopenOffer::withdraw()
{
    m_profile.clear();
    hide();
}

} // namespace dbops::ui
