#include "RevisionTimelineDelegate.h"

#include "RevisionTimelineModel.h"
#include "SqlHighlighter.h"
#include "TimelineLaneRow.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace dbops::ui {

namespace {

constexpr int graphPadding = 6;

QColor mix(const QColor& a, const QColor& b, qreal amountOfB)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * amountOfB,
        a.greenF() + (b.greenF() - a.greenF()) * amountOfB, a.blueF() + (b.blueF() - a.blueF()) * amountOfB);
}

// The "pending" wash: the revisions an upgrade would run stand out from the
// applied history, which stays plain.
QColor pendingTint(const QPalette& palette)
{
    const bool dark = SqlHighlighting::isDark(palette);
    return mix(palette.color(QPalette::Base), dark ? QColor(0xff, 0xb3, 0x40) : QColor(0xf0, 0xa0, 0x20),
        dark ? 0.11 : 0.12);
}

QColor databaseBadgeColor(bool dark)
{
    return dark ? QColor(0x3f, 0xb9, 0x50) : QColor(0x1f, 0x88, 0x3d);
}

struct Badge
{
    QString text;
    QColor fill; ///< invalid: outlined only
    QColor border;
    QColor textColor;
};

QList<Badge> badgesFor(const QModelIndex& index, const QPalette& palette)
{
    const bool dark = SqlHighlighting::isDark(palette);
    QList<Badge> badges;
    if (index.data(RevisionTimelineModel::CurrentRole).toBool()) {
        const QColor green = databaseBadgeColor(dark);
        badges.append({ RevisionTimelineDelegate::tr("database is here"), green, green,
            dark ? QColor(0x0d, 0x11, 0x17) : QColor(Qt::white) });
    }
    if (const QStringList fleet = index.data(RevisionTimelineModel::FleetDatabasesRole).toStringList();
        !fleet.isEmpty()) {
        // The palette's highlight: a fleet marker reads as "selection-like",
        // apart from the green of the connected database.
        const QColor blue = palette.color(QPalette::Highlight);
        badges.append({ fleet.size() == 1 ? RevisionTimelineDelegate::tr("1 database")
                                          : RevisionTimelineDelegate::tr("%1 databases").arg(fleet.size()),
            blue, blue, palette.color(QPalette::HighlightedText) });
    }
    if (index.data(RevisionTimelineModel::HeadRole).toBool()) {
        const QColor lane = RevisionTimelineDelegate::laneColor(
            index.data(RevisionTimelineModel::LaneRole).value<TimelineLaneRow>().lane, dark);
        badges.append({ RevisionTimelineDelegate::tr("head"), QColor(), lane, lane });
    }
    return badges;
}

} // namespace

RevisionTimelineDelegate::RevisionTimelineDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{ }

int RevisionTimelineDelegate::laneWidth(const QFontMetrics& metrics)
{
    return std::max(14, metrics.height() * 4 / 5);
}

int RevisionTimelineDelegate::graphWidth(const QFontMetrics& metrics, int lanes)
{
    return 2 * graphPadding + std::max(1, lanes) * laneWidth(metrics);
}

QColor RevisionTimelineDelegate::laneColor(int lane, bool dark)
{
    static const QColor light[] = { QColor(0x1f, 0x6f, 0xeb), QColor(0x8a, 0x4b, 0xd6),
        QColor(0xd9, 0x6c, 0x1a), QColor(0x16, 0x9c, 0x8f), QColor(0xc9, 0x3c, 0x7d),
        QColor(0x6b, 0x8e, 0x23), QColor(0xb0, 0x4a, 0x32), QColor(0x2b, 0x8c, 0xc4) };
    static const QColor darkColors[] = { QColor(0x58, 0xa6, 0xff), QColor(0xbc, 0x8c, 0xff),
        QColor(0xff, 0xa6, 0x57), QColor(0x39, 0xd0, 0xc0), QColor(0xff, 0x7b, 0xb5),
        QColor(0xa5, 0xd6, 0x5a), QColor(0xf0, 0x88, 0x6a), QColor(0x6c, 0xc5, 0xff) };
    const int i = ((lane % 8) + 8) % 8;
    return dark ? darkColors[i] : light[i];
}

void RevisionTimelineDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(RevisionTimelineModel::PendingRole).toBool())
        option->backgroundBrush = pendingTint(option->palette);
    if (index.column() == RevisionTimelineModel::GraphColumn)
        option->text.clear();
}

QSize RevisionTimelineDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 8));
    if (index.column() == RevisionTimelineModel::GraphColumn)
        size.setWidth(
            graphWidth(option.fontMetrics, index.data(RevisionTimelineModel::LaneCountRole).toInt()));
    return size;
}

void RevisionTimelineDelegate::paint(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    switch (index.column()) {
    case RevisionTimelineModel::GraphColumn:
        paintGraph(painter, option, index);
        break;
    case RevisionTimelineModel::MessageColumn:
        paintMessage(painter, option, index);
        break;
    default:
        QStyledItemDelegate::paint(painter, option, index);
    }
}

void RevisionTimelineDelegate::paintGraph(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const TimelineLaneRow lanes = index.data(RevisionTimelineModel::LaneRole).value<TimelineLaneRow>();
    const bool dark = SqlHighlighting::isDark(opt.palette);
    const int lw = laneWidth(opt.fontMetrics);
    const QRect r = opt.rect;
    auto x = [&](int lane) { return r.left() + graphPadding + lane * lw + lw / 2.0; };
    const qreal top = r.top();
    const qreal bottom = r.top() + r.height();
    const qreal mid = r.top() + r.height() / 2.0;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(r);
    auto pen = [&](int lane) {
        QPen p(laneColor(lane, dark), 2.0);
        p.setCapStyle(Qt::FlatCap);
        return p;
    };
    for (int lane : lanes.passing) {
        painter->setPen(pen(lane));
        painter->drawLine(QPointF(x(lane), top), QPointF(x(lane), bottom));
    }
    painter->setBrush(Qt::NoBrush);
    // Edges bend with a curve that leaves and enters vertically, so a lane
    // joining or leaving reads as a continuation of the vertical line.
    for (int lane : lanes.incoming) {
        painter->setPen(pen(lane));
        QPainterPath path(QPointF(x(lane), top));
        if (lane == lanes.lane)
            path.lineTo(x(lane), mid);
        else
            path.cubicTo(QPointF(x(lane), mid), QPointF(x(lanes.lane), top), QPointF(x(lanes.lane), mid));
        painter->drawPath(path);
    }
    for (int lane : lanes.outgoing) {
        painter->setPen(pen(lane));
        QPainterPath path(QPointF(x(lanes.lane), mid));
        if (lane == lanes.lane)
            path.lineTo(x(lane), bottom);
        else
            path.cubicTo(QPointF(x(lanes.lane), bottom), QPointF(x(lane), mid), QPointF(x(lane), bottom));
        painter->drawPath(path);
    }

    const QColor color = laneColor(lanes.lane, dark);
    const qreal radius = std::max<qreal>(3.5, lw * 0.28);
    const QPointF center(x(lanes.lane), mid);
    const bool pending = index.data(RevisionTimelineModel::PendingRole).toBool();
    // A merge is a diamond, every other revision a circle; filled when
    // applied, hollow when pending.
    const bool merge = index.data(RevisionTimelineModel::MergeRole).toBool();
    auto drawMark = [&](qreal r) {
        if (!merge) {
            painter->drawEllipse(center, r, r);
            return;
        }
        const qreal d = r * 1.35;
        const QPointF points[] = { center + QPointF(0, -d), center + QPointF(d, 0), center + QPointF(0, d),
            center + QPointF(-d, 0) };
        painter->drawPolygon(points, 4);
    };
    if (index.data(RevisionTimelineModel::CurrentRole).toBool()) {
        // The database's revision: a ring in the badge's green around the mark.
        painter->setPen(QPen(databaseBadgeColor(dark), 2.0));
        painter->setBrush(opt.palette.color(QPalette::Base));
        painter->drawEllipse(center, radius + 3.5, radius + 3.5);
    }
    if (pending) {
        painter->setPen(QPen(color, 2.0));
        painter->setBrush(pendingTint(opt.palette));
        drawMark(radius - 0.5);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        drawMark(radius);
    }
    painter->restore();
}

void RevisionTimelineDelegate::paintMessage(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QFont badgeFont = opt.font;
    if (badgeFont.pointSizeF() > 0)
        badgeFont.setPointSizeF(std::max(6.0, badgeFont.pointSizeF() * 0.85));
    else
        badgeFont.setPixelSize(std::max(8, badgeFont.pixelSize() * 85 / 100));
    badgeFont.setBold(true);
    const QFontMetrics badgeMetrics(badgeFont);
    painter->setFont(badgeFont);
    int left = textRect.left() + 2;
    const int height = std::min(textRect.height() - 2, badgeMetrics.height() + 4);
    for (const Badge& badge : badgesFor(index, opt.palette)) {
        const int width = badgeMetrics.horizontalAdvance(badge.text) + 12;
        if (left + width > textRect.right())
            break;
        const QRectF rect(
            left + 0.5, textRect.top() + (textRect.height() - height) / 2.0 + 0.5, width, height);
        painter->setPen(QPen(badge.border, 1.0));
        painter->setBrush(badge.fill.isValid() ? QBrush(badge.fill) : QBrush(Qt::NoBrush));
        painter->drawRoundedRect(rect, height / 2.0, height / 2.0);
        painter->setPen(badge.textColor);
        painter->drawText(rect, Qt::AlignCenter, badge.text);
        left += width + 6;
    }
    textRect.setLeft(left == textRect.left() + 2 ? textRect.left() : left);

    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (opt.state & QStyle::State_Active)                                ? QPalette::Active
                                                                            : QPalette::Inactive;
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(
        group, (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
        opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace dbops::ui
