# Installation beyond the two executables, and the Debian package.
#
#   the bundled migrations   ${DATADIR}/dbops-console/migrations/{versions,checks,fixes,schema}
#                            (the binaries' default repository, found relative to
#                            ${BINDIR}: DBOPS_INSTALL_MIGRATIONS_FROM_BINDIR)
#   desktop integration      ${DATADIR}/applications/io.github.dbops.console.desktop
#                            ${DATADIR}/metainfo/io.github.dbops.console.metainfo.xml
#                            ${DATADIR}/icons/hicolor/scalable/apps/dbops-console.svg
#   man pages                ${MANDIR}/man1/dbops.1.gz, dbops-console.1.gz (gzipped at build time)
#   copyright                ${DATADIR}/doc/dbops-console/copyright
#                            (.deb only: changelog.Debian.gz next to it)
#
# CPack builds a .deb of the Qt 6 flavor (the product):
#   cmake -S . -B build/pkg -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
#   cmake --build build/pkg --target package          (or: cd build/pkg && cpack -G DEB)
# Depends comes from dpkg-shlibdeps, plus the Qt plugins it cannot see.
# The package installs under /usr whatever CMAKE_INSTALL_PREFIX the build has
# (/usr/local by default, for `cmake --install`): every install() destination
# is relative, CPack installs them under CPACK_PACKAGING_INSTALL_PREFIX, and
# the binaries find their data relative to their own directory.

set(DBOPS_APP_ID "io.github.dbops.console")
set(DBOPS_PACKAGING_DIR "${CMAKE_CURRENT_LIST_DIR}/../packaging")
get_filename_component(DBOPS_PACKAGING_DIR "${DBOPS_PACKAGING_DIR}" ABSOLUTE)

# --- the bundled migration repository -----------------------------------------
# The binaries look for it at DBOPS_INSTALL_MIGRATIONS_FROM_BINDIR (CMakeLists.txt), relative
# to their own directory, then at DBOPS_INSTALL_MIGRATIONS_DIR (the configured prefix's).
install(DIRECTORY
        "${CMAKE_SOURCE_DIR}/migrations/versions"
        "${CMAKE_SOURCE_DIR}/migrations/checks"
        "${CMAKE_SOURCE_DIR}/migrations/fixes"
        "${CMAKE_SOURCE_DIR}/migrations/schema"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/dbops-console/migrations"
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
    DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# --- desktop integration --------------------------------------------------------
install(FILES "${DBOPS_PACKAGING_DIR}/${DBOPS_APP_ID}.desktop"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${DBOPS_PACKAGING_DIR}/${DBOPS_APP_ID}.metainfo.xml"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES "${DBOPS_PACKAGING_DIR}/dbops-console.svg"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
install(FILES "${CMAKE_SOURCE_DIR}/LICENSE"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/dbops-console" RENAME copyright)

# The newest <release> of the metainfo should be this version.
file(READ "${DBOPS_PACKAGING_DIR}/${DBOPS_APP_ID}.metainfo.xml" _dbops_metainfo)
if(NOT _dbops_metainfo MATCHES "<release version=\"${PROJECT_VERSION}\"")
    message(WARNING "packaging/${DBOPS_APP_ID}.metainfo.xml has no <release version=\"${PROJECT_VERSION}\">: "
        "add the release (newest first) when the project version changes")
endif()
unset(_dbops_metainfo)

# --- generated files: configured (@PROJECT_VERSION@), then gzip -9n (reproducible) ---
find_program(DBOPS_GZIP_EXECUTABLE gzip)
# dbops_configure_gzipped(SOURCE NAME OUT_VAR): packaging/SOURCE -> build/packaging/NAME.gz
# (or uncompressed NAME without gzip); OUT_VAR gets the file to install.
function(dbops_configure_gzipped source name out_var)
    set(configured "${CMAKE_BINARY_DIR}/packaging/src/${name}")
    configure_file("${DBOPS_PACKAGING_DIR}/${source}" "${configured}" @ONLY)
    if(NOT DBOPS_GZIP_EXECUTABLE)
        set(${out_var} "${configured}" PARENT_SCOPE)
        return()
    endif()
    set(out "${CMAKE_BINARY_DIR}/packaging/${name}.gz")
    add_custom_command(OUTPUT "${out}"
        COMMAND "${CMAKE_COMMAND}" -E copy "${configured}" "${CMAKE_BINARY_DIR}/packaging/${name}"
        COMMAND "${DBOPS_GZIP_EXECUTABLE}" -9nf "${CMAKE_BINARY_DIR}/packaging/${name}"
        DEPENDS "${configured}"
        COMMENT "Compressing ${name}"
        VERBATIM)
    set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

dbops_configure_gzipped(man/dbops.1.in dbops.1 _dbops_man_cli)
dbops_configure_gzipped(man/dbops-console.1.in dbops-console.1 _dbops_man_console)
install(FILES "${_dbops_man_cli}" "${_dbops_man_console}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
set(_dbops_generated "${_dbops_man_cli}" "${_dbops_man_console}")

# --- CPack: the Debian package of the Qt 6 flavor -------------------------------
if(NOT DBOPS_QT_MAJOR STREQUAL "6")
    message(STATUS "Packaging: no .deb for the Qt ${DBOPS_QT_MAJOR} flavor (the package is the Qt 6 flavor)")
    add_custom_target(dbops_packaging_files ALL DEPENDS ${_dbops_generated})
    return()
endif()
# Debian policy wants a changelog next to the copyright.
dbops_configure_gzipped(changelog.Debian.in changelog.Debian _dbops_changelog)
install(FILES "${_dbops_changelog}" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/dbops-console")
list(APPEND _dbops_generated "${_dbops_changelog}")
add_custom_target(dbops_packaging_files ALL DEPENDS ${_dbops_generated})

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "dbops-console")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "The DbOps Console developers")
set(CPACK_PACKAGE_CONTACT "DbOps Console developers <dbops@example.invalid>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.invalid/dbops")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "safe PostgreSQL schema migrations: desktop console and CLI")
set(CPACK_PACKAGE_DESCRIPTION
"DbOps Console runs PostgreSQL schema migrations safely. It reads a repository
of plain SQL migration files, understands its revision graph exactly as Alembic
does, and prints or runs (guarded: migration lock, lock timeouts, confirmation
on production profiles) the exact SQL of any upgrade or downgrade. The version
table stays Alembic-compatible.

This package contains the desktop console (dbops-console), the command-line
tool (dbops) with schema audit, data checks and fixes, and the bundled
migration repository in /usr/${CMAKE_INSTALL_DATADIR}/dbops-console/migrations,
used when no other repository is given.")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_SOURCE_DIR}/LICENSE")
# A Debian package lives under /usr, whatever the build's CMAKE_INSTALL_PREFIX.
# Without DESTDIR, CPack installs the relative destinations under this prefix
# in its staging directory; an absolute destination would escape it, so it is
# an error.
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_SET_DESTDIR OFF)
set(CPACK_ERROR_ON_ABSOLUTE_INSTALL_DESTINATION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "TXZ")
set(CPACK_SOURCE_IGNORE_FILES "/[.]git/" "/build/")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # dbops-console_0.1.0-1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Libraries the binaries link come from dpkg-shlibdeps; Qt loads the PostgreSQL
# SQL driver (QPSQL) as a plugin, which shlibdeps cannot see.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-psql")
# pg_dump for --backup; the Wayland platform plugin.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-client, qt6-wayland")

include(CPack)
