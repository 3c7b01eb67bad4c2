#pragma once

#include "Error.h"

#include <optional>
#include <utility>

namespace dbops {

/// A value or the error that prevented it: errors are values at the core boundary.
template<typename T> class Result
{
public:
    // Separate copy and move constructors rather than one by value: C++17
    // moves a returned local only into a constructor taking T&& (before
    // P1825), so `return revision;` would otherwise copy the whole value.
    Result(const T& value)
        : m_value(value)
    { }
    Result(T&& value)
        : m_value(std::move(value))
    { }
    Result(const Error& error)
        : m_error(error)
    { }
    Result(Error&& error)
        : m_error(std::move(error))
    { }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return *m_value; }
    T& value() & { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    const T& operator*() const& { return *m_value; }
    const T* operator->() const { return &*m_value; }

    const Error& error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

} // namespace dbops
