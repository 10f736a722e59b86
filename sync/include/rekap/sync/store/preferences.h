#pragma once
// Small values the app keeps (the operator's name, the language, the camat's last status); in
// settings under "pref.".

#include <string>

namespace rekap::sync {

class DeviceFile;
class Settings;

class Preferences {
public:
    Preferences(DeviceFile& file, const Settings& settings)
        : file_(file)
        , settings_(settings) {}

    std::string get(const std::string& key) const;
    void set(const std::string& key, const std::string& value);

private:
    DeviceFile& file_;
    const Settings& settings_;
};

} // namespace rekap::sync
