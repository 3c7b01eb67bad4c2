#pragma once

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QString>

namespace dbops::ui {

/// The folder the console's file dialogs start in: the one last written to
/// (an export, a saved script), kept across sessions in the console's
/// settings; the home folder at first.
namespace RecentFolder {

inline QString key()
{
    return QStringLiteral("files/lastFolder");
}

inline QString path()
{
    const QString folder = QSettings().value(key()).toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

/// `fileName` inside the recent folder: what a save dialog proposes.
inline QString suggest(const QString& fileName)
{
    return QDir(path()).filePath(fileName);
}

/// Remembers the folder of a file just written or chosen.
inline void remember(const QString& filePath)
{
    QSettings().setValue(key(), QFileInfo(filePath).absolutePath());
}

} // namespace RecentFolder

} // namespace dbops::ui
