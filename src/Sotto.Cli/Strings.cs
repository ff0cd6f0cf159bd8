using System.Globalization;

namespace Sotto.Cli;

/// <summary>Every string the tool prints, in English and Russian (the web client's two languages).</summary>
internal sealed class Strings
{
    private static readonly Dictionary<string, (string En, string Ru)> Table = new()
    {
        ["joined"] = ("Joined room {0} as {1} (slot {2}).", "Вы в комнате {0} как {1} (слот {2})."),
        ["protected"] = ("Protected by link: the server cannot listen in.", "Защищено ссылкой: сервер не может подслушать."),
        ["not-protected"] = ("No secret in link: not private from the server unless you compare codes.", "В ссылке нет секрета: сервер может подслушать, если вы не сравните коды."),
        ["pair-code"] = ("Pair code with {0}: {1}", "Код пары с {0}: {1}"),
        ["room-code"] = ("Room safety code ({0} people): {1}", "Код безопасности комнаты ({0} чел.): {1}"),
        ["peer-failed"] = ("Could not connect securely to {0}: {1}", "Не удалось безопасно соединиться с {0}: {1}"),
        ["alarm"] = ("WARNING about {0}: {1}", "ВНИМАНИЕ ({0}): {1}"),
        ["joined-peer"] = ("{0} joined.", "{0} вошёл(ла)."),
        ["left-peer"] = ("{0} left.", "{0} вышел(ла)."),
        ["chat"] = ("{0}: {1}", "{0}: {1}"),
        ["ended"] = ("The call ended ({0}).", "Звонок завершён ({0})."),
        ["disconnected"] = ("Connection lost; trying to resume…", "Соединение потеряно; пробуем восстановить…"),
        ["playing"] = ("Playing {0} into the room.", "Проигрываем {0} в комнату."),
        ["recording"] = ("Recording what you receive (decrypted) to {0}.", "Записываем полученное (расшифрованное) в {0}."),
        ["bad-file"] = ("Cannot play {0}: {1}", "Не удаётся проиграть {0}: {1}"),
        ["bad-link"] = ("The link is incomplete or malformed: {0}", "Ссылка неполная или повреждена: {0}"),
        ["refused"] = ("The server refused to let us in: {0}", "Сервер не пустил нас: {0}"),
        ["chat-hint"] = ("Type a line and press Enter to chat; Ctrl+C leaves.", "Наберите строку и нажмите Enter, чтобы написать в чат; Ctrl+C — выйти."),
        ["leaving"] = ("Leaving.", "Выходим."),
        ["LINK_OR_TAMPER"] = ("they joined with a different link, or the connection is being tampered with", "у собеседника другая ссылка, или соединение подменяют"),
        ["NO_SECRET"] = ("one of you joined without the secret part of the link", "один из вас вошёл без секретной части ссылки"),
        ["OLD_LINK"] = ("they use an old link (it was changed)", "у собеседника старая ссылка (её сменили)"),
        ["TAMPER"] = ("the connection is being tampered with", "соединение подменяют"),
        ["TIMEOUT"] = ("no answer in time", "нет ответа вовремя"),
        ["KEY_CHANGED"] = ("their key changed during the call", "их ключ сменился во время звонка"),
        ["ROLE_CONFLICT"] = ("protocol conflict (the server may be lying about ids)", "конфликт протокола (сервер может подменять идентификаторы)"),
        ["DUPLICATE_SLOT"] = ("the server announced two people with one slot", "сервер объявил двух людей с одним слотом"),
        ["ROOM_CODE_TAMPER"] = ("the room code round was tampered with", "раунд кода комнаты подделан"),
        ["SAS_MISMATCH"] = ("a pair code did not match", "код пары не совпал"),
        ["check-title"] = ("Checking {0}", "Проверяем {0}"),
        ["check-reachable-ok"] = ("✔ The server answers on the web ({0} ms).", "✔ Сервер отвечает по вебу ({0} мс)."),
        ["check-reachable-fail"] = ("✘ The server does not answer on the web: {0}", "✘ Сервер не отвечает по вебу: {0}"),
        ["check-signaling-ok"] = ("✔ Signaling works (joined a throwaway test room).", "✔ Сигнализация работает (вошли в одноразовую тестовую комнату)."),
        ["check-signaling-fail"] = ("✘ The web page works, but signaling (/ws) does not: {0}", "✘ Веб работает, а сигнализация (/ws) — нет: {0}"),
        ["check-udp-ok"] = ("✔ The UDP media port {0} answers.", "✔ UDP-порт для медиа {0} отвечает."),
        ["check-udp-fail"] = ("✘ The UDP media port {0} does not answer.", "✘ UDP-порт для медиа {0} не отвечает."),
        ["check-dtls-ok"] = ("✔ The encrypted media connection completed (DTLS-SRTP {0}, {1} ms).", "✔ Зашифрованное медиасоединение установлено (DTLS-SRTP {0}, {1} мс)."),
        ["check-dtls-fail"] = ("✘ The UDP port answers, but the encrypted media connection (DTLS) failed: {0}", "✘ UDP-порт отвечает, но зашифрованное медиасоединение (DTLS) не установилось: {0}"),
        ["verdict-ok"] = ("Verdict: calls will work from this network.", "Итог: звонки из этой сети будут работать."),
        ["verdict-web"] = ("Verdict: the server cannot be reached. Check the address, your internet connection, or whether the server is running.", "Итог: сервер недоступен. Проверьте адрес, подключение к интернету и запущен ли сервер."),
        ["verdict-signaling"] = ("Verdict: the server is up but refuses calls. A proxy in front of it may not pass WebSockets; ask the operator.", "Итог: сервер работает, но не принимает звонки. Возможно, прокси перед ним не пропускает WebSocket; обратитесь к администратору."),
        ["verdict-udp"] = ("Verdict: the server is up, but sound and video cannot flow from this network: its UDP port is closed or blocked by a firewall. Ask the operator to open UDP port {0}, or try another network.", "Итог: сервер работает, но звук и видео не пройдут из этой сети: его UDP-порт закрыт или заблокирован файрволом. Попросите администратора открыть UDP-порт {0} или попробуйте другую сеть."),
        ["verdict-dtls"] = ("Verdict: media packets arrive, but encryption could not be set up. Something on the path interferes; ask the operator.", "Итог: медиапакеты доходят, но шифрование не устанавливается. Что-то на пути мешает; обратитесь к администратору."),
    };

    private readonly bool _russian;

    public Strings(string? language) =>
        _russian = (language ?? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) == "ru";

    public string this[string key] => _russian ? Table[key].Ru : Table[key].En;

    public string Format(string key, params object?[] args) => string.Format(CultureInfo.InvariantCulture, this[key], args);

    /// <summary>A failure reason or alarm code in words, or the code itself if unknown.</summary>
    public string Reason(string? code) => code is not null && Table.TryGetValue(code, out var text) ? (_russian ? text.Ru : text.En) : code ?? "?";

    public bool Russian => _russian;
}
