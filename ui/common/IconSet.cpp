#include "IconSet.h"

#include <QDir>
#include <QFile>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

// The icons are compiled into the static dbops_ui library: register them
// explicitly, or the linker may drop their initialiser.
static void initIconResources()
{
    Q_INIT_RESOURCE(icons);
}

namespace dbops::ui {

namespace {

QPixmap render(const QByteArray& svg, const QColor& color, int size)
{
    QByteArray coloured = svg;
    coloured.replace("currentColor", color.name(QColor::HexRgb).toLatin1());
    QSvgRenderer renderer(coloured);
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    renderer.render(&painter);
    return pixmap;
}

} // namespace

QIcon IconSet::icon(const QString& name, const QPalette& palette)
{
    static const bool registered = (initIconResources(), true);
    Q_UNUSED(registered);
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    QIcon icon;
    for (const int size : { 16, 22, 24, 32, 48, 64 }) {
        icon.addPixmap(
            render(svg, palette.color(QPalette::Active, QPalette::WindowText), size), QIcon::Normal);
        icon.addPixmap(
            render(svg, palette.color(QPalette::Active, QPalette::WindowText), size), QIcon::Active);
        icon.addPixmap(
            render(svg, palette.color(QPalette::Disabled, QPalette::WindowText), size), QIcon::Disabled);
    }
    return icon;
}

QStringList IconSet::names()
{
    icon(QString(), QPalette()); // registers the resources
    QStringList names;
    const QStringList files = QDir(QStringLiteral(":/icons")).entryList({ QStringLiteral("*.svg") });
    for (const QString& file : files)
        names.append(file.chopped(4));
    return names;
}

} // namespace dbops::ui
