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
        ["chat-hint"] = ("Type a line and press Enter to chat; /help lists the commands; Ctrl+C leaves.", "Наберите строку и нажмите Enter, чтобы написать в чат; /help — список команд; Ctrl+C — выйти."),
        ["chat-too-long"] = ("Not sent: a chat line holds at most {0} characters.", "Не отправлено: в строке чата не больше {0} символов."),
        ["chat-nobody"] = ("(Nobody received it: no secure connection yet.)", "(Никто не получил: пока ни с кем нет защищённого соединения.)"),
        ["lobby-wait"] = ("The room is locked: waiting for someone inside to let you in… (/quit or Ctrl+C leaves)", "Комната закрыта: ждём, пока кто-нибудь внутри впустит вас… (/quit или Ctrl+C — выйти)"),
        ["lobby-admitted"] = ("You were let in.", "Вас впустили."),
        ["lobby-denied"] = ("You were not let in: {0}.", "Вас не впустили: {0}."),
        ["denied-denied"] = ("the moderator refused", "модератор отказал"),
        ["denied-timeout"] = ("nobody let you in in time", "никто не впустил вовремя"),
        ["denied-room-closed"] = ("everyone left the room", "все вышли из комнаты"),
        ["knock"] = ("{0} is waiting in the lobby — type /admit {1} to let them in (/deny {1} to refuse).", "{0} ждёт в лобби — наберите /admit {1}, чтобы впустить (/deny {1} — отказать)."),
        ["someone"] = ("Someone ({0})", "Кто-то ({0})"),
        ["knock-denied"] = ("{0} was not let in.", "{0}: во входе отказано."),
        ["knock-left"] = ("{0} stopped waiting in the lobby.", "{0} больше не ждёт в лобби."),
        ["knock-timeout"] = ("{0} waited too long in the lobby and was turned away.", "{0} слишком долго ждал(а) в лобби, вход закрыт."),
        ["room-locked"] = ("The room is locked: newcomers wait in the lobby.", "Комната закрыта: новые участники ждут в лобби."),
        ["room-unlocked"] = ("The room is unlocked: anyone with the link can come in.", "Комната открыта: войти может любой со ссылкой."),
        ["you-moderator"] = ("You are the moderator now: /lock, /unlock, /admit, /deny.", "Теперь вы модератор: /lock, /unlock, /admit, /deny."),
        ["moderator-is"] = ("{0} is the moderator now.", "{0} теперь модератор."),
        ["action-refused"] = ("The server refused {0}: {1}.", "Сервер отказал в {0}: {1}."),
        ["not-moderator"] = ("only the moderator can do this", "это может только модератор"),
        ["unknown-participant"] = ("they are not waiting in the lobby any more", "этот человек уже не ждёт в лобби"),
        ["wrong-state"] = ("not while you wait in the lobby", "нельзя, пока вы ждёте в лобби"),
        ["room-full"] = ("the room is full", "комната заполнена"),
        ["rate-limited"] = ("too many requests, try again in a moment", "слишком много запросов, повторите чуть позже"),
        ["no-such-guest"] = ("Nobody waits in the lobby under number {0}.", "В лобби нет никого под номером {0}."),
        ["file-offer"] = ("{0} offers {1} ({2}) — /accept {3} or /decline {3}", "{0} предлагает файл {1} ({2}) — /accept {3} или /decline {3}"),
        ["file-risky"] = ("  ⚠ {0} is a type that can run code or scripts when opened: open it only if you trust the sender.", "  ⚠ {0}: файл такого типа может запустить программу или скрипт при открытии; открывайте, только если доверяете отправителю."),
        ["file-fetching"] = ("Fetching {0}…", "Получаем {0}…"),
        ["file-saved"] = ("Saved {0} from {1} (checked, {2}): {3}", "Файл {0} от {1} сохранён (проверен, {2}): {3}"),
        ["file-save-failed"] = ("Could not save {0}: {1}", "Не удалось сохранить {0}: {1}"),
        ["file-failed"] = ("{0} from {1} failed its checks (damaged or tampered with): nothing was saved.", "Файл {0} от {1} не прошёл проверку (повреждён или подменён): ничего не сохранено."),
        ["file-declined"] = ("Declined {0}.", "Вы отказались от файла {0}."),
        ["no-such-offer"] = ("There is no file offer number {0}.", "Нет предложения файла под номером {0}."),
        ["offer-closed"] = ("File offer {0} was already accepted or declined.", "Предложение файла {0} уже принято или отклонено."),
        ["send-offered"] = ("Offered {0} ({1}); offers sent: {2}. Each person must accept it.", "Файл {0} ({1}) предложен; отправлено предложений: {2}. Каждый должен его принять."),
        ["send-nobody"] = ("Nobody to send it to yet: no one has a secure connection with you.", "Пока некому отправить: ни с кем нет защищённого соединения."),
        ["send-failed"] = ("Cannot send {0}: {1}", "Не удаётся отправить {0}: {1}"),
        ["send-too-large"] = ("it is larger than the limit of {0}", "он больше предела {0}"),
        ["unknown-command"] = ("Unknown command {0}.", "Неизвестная команда {0}."),
        ["usage"] = ("Usage: {0}", "Использование: {0}"),
        ["help"] = (
            """
            Commands (any other line is chat; start a chat line with // to send one that begins with /):
              /send <path>    offer a file to everyone in the room (each must accept it)
              /accept <n>     fetch file offer n; it is saved once complete and checked
              /decline <n>    decline file offer n
              /admit <n>      let lobby guest n in (moderator)
              /deny <n>       turn lobby guest n away (moderator)
              /lock, /unlock  make newcomers wait in the lobby, or not (moderator)
              /help           this list
              /quit           leave the call
            """,
            """
            Команды (любая другая строка — сообщение в чат; чтобы отправить строку, начинающуюся с /, начните её с //):
              /send <путь>    предложить файл всем в комнате (каждый должен его принять)
              /accept <n>     получить файл n; он сохраняется, когда пришёл целиком и проверен
              /decline <n>    отказаться от файла n
              /admit <n>      впустить гостя n из лобби (модератор)
              /deny <n>       отказать гостю n в лобби (модератор)
              /lock, /unlock  новые участники ждут в лобби — или нет (модератор)
              /help           этот список
              /quit           выйти из звонка
            """),
        ["size-b"] = ("{0} B", "{0} Б"),
        ["size-kb"] = ("{0} KB", "{0} КБ"),
        ["size-mb"] = ("{0} MB", "{0} МБ"),
        ["size-gb"] = ("{0} GB", "{0} ГБ"),
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

    /// <summary>A file size as people read it: "1.2 MB" ("1,2 МБ"); 1 KB = 1024 B.</summary>
    public string Size(long bytes)
    {
        var culture = CultureInfo.GetCultureInfo(_russian ? "ru-RU" : "en-US");
        if (bytes < 1024)
            return string.Format(culture, this["size-b"], bytes);
        double value = bytes;
        string[] units = ["size-kb", "size-mb", "size-gb"];
        int unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Format(culture, this[units[unit]], value.ToString(value < 10 ? "0.#" : "0", culture));
    }
}
