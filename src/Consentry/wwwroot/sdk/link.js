// Consentry Link SDK: built from sdk/link (npm run build). Do not edit.

// src/layout.ts
var SMALL_SCREEN = "(max-width: 599.98px)";
function frameStyle(fullScreen, bordered) {
  return fullScreen ? { position: "fixed", inset: "0", zIndex: "2147483000", width: "100%", height: "100%", minHeight: "0", border: "0", borderRadius: "0", margin: "0" } : { position: "", inset: "", zIndex: "", width: "100%", height: "100%", minHeight: "600px", border: bordered ? "1px solid #D1D5DB" : "0", borderRadius: bordered ? "12px" : "0", margin: "" };
}
function isFullScreen(smallScreen, nonModal) {
  return smallScreen && nonModal !== true;
}

// src/i18n.ts
var LOCALES = ["en", "fr", "de", "es", "nl"];
var current = "en";
function setLocale(requested) {
  const language = (requested ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  current = LOCALES.includes(language) ? language : "en";
}
function locale() {
  return current;
}
function t(english, ...args) {
  const format = TEXTS[current]?.[english] ?? english;
  return format.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ""));
}
var TEXTS = {
  fr: {
    "{0} asks for your consent again": "{0} vous demande à nouveau votre consentement",
    "{0} would like to use the data you already share for another purpose. Review it, then continue.": "{0} souhaite utiliser les données que vous partagez déjà pour une autre finalité. Vérifiez-la, puis continuez.",
    "Share your business data with {0}": "Partagez les données de votre entreprise avec {0}",
    "Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time.": "Connectez les plateformes que vous utilisez. Cela prend quelques minutes, vous vous identifiez sur chaque plateforme et vous pouvez vous déconnecter à tout moment.",
    "Get started": "Commencer",
    " (optional)": " (facultatif)",
    "{0} connected": "{0} connecté",
    "{0} file(s) uploaded": "{0} fichier(s) importé(s)",
    "Skipped": "Passé",
    "{0} integrations": "Intégrations {0}",
    "No {0} integration is available.": "Aucune intégration {0} n'est disponible.",
    "Or upload files instead (PDF, CSV or XLSX, up to 10 MB)": "Ou importez plutôt des fichiers (PDF, CSV ou XLSX, 10 Mo maximum)",
    "Upload": "Importer",
    "Skip {0}": "Passer : {0}",
    "Complete": "Terminer",
    "Connect your business": "Connectez votre entreprise",
    "Continue to {0}": "Continuer vers {0}",
    "Connect {0}": "Connecter {0}",
    "Back": "Retour",
    "Connecting {0}…": "Connexion à {0}…",
    "Taking you to {0} to sign in.": "Nous vous emmenons sur {0} pour vous identifier.",
    "Reopen the {0} window": "Rouvrir la fenêtre {0}",
    "Finish in the {0} window": "Terminez dans la fenêtre {0}",
    "Sign in to {0} in the window that opened, then come back here.": "Identifiez-vous sur {0} dans la fenêtre qui s'est ouverte, puis revenez ici.",
    "Cancel": "Annuler",
    "{0} connected.": "{0} connecté.",
    "You cancelled: nothing was shared. Choose again or skip.": "Vous avez annulé : rien n'a été partagé. Choisissez à nouveau ou passez.",
    "That connection could not be completed. Please try again.": "Cette connexion n'a pas pu aboutir. Merci de réessayer.",
    "Choose a file first.": "Choisissez d'abord un fichier.",
    "{0} uploaded.": "{0} importé.",
    "This page runs inside the app that sent you here. Go back to the app to connect your business.": "Cette page s'ouvre dans l'application qui vous a envoyé ici. Retournez dans l'application pour connecter votre entreprise.",
    " (or upload files)": " (ou importez des fichiers)",
    " and ": " et ",
    "To complete, connect {0}.": "Pour terminer, connectez : {0}.",
    "{0} asks to read your {1} data from {2}. You sign in at {2}; we never see your password.": "{0} demande à lire vos données de {1} depuis {2}. Vous vous identifiez sur {2} ; nous ne voyons jamais votre mot de passe.",
    "Purpose": "Finalité",
    "Access": "Accès",
    "Retention": "Conservation",
    "{0} uses this data to assess and serve your business.": "{0} utilise ces données pour évaluer votre entreprise et la servir.",
    "Read-only access. Nothing is changed in your account.": "Accès en lecture seule. Rien n'est modifié dans votre compte.",
    "Data is kept while you stay connected; you can disconnect at any time and ask for it to be deleted.": "Les données sont conservées tant que vous restez connecté ; vous pouvez vous déconnecter à tout moment et demander leur suppression.",
    "Terms and conditions": "Conditions générales",
    "Accounting": "Comptabilité",
    "Banking": "Banque",
    "Commerce": "Commerce",
    "accounting": "comptabilité",
    "banking": "bancaires",
    "commerce": "commerce",
    "Your connections": "Vos connexions",
    "No connections yet.": "Aucune connexion pour l'instant.",
    "Add a connection": "Ajouter une connexion",
    "Disconnect": "Déconnecter",
    "Reconnect": "Reconnecter",
    "Keep connected": "Rester connecté",
    "Disconnect {0}": "Déconnecter {0}",
    "Keep sharing": "Continuer à partager",
    "Stop sharing for {0}": "Arrêter le partage pour {0}",
    "Your consent at {0} ends on {1}.": "Votre consentement sur {0} prend fin le {1}.",
    "{0} is connected.": "{0} est connecté.",
    "Not connected: nothing changed.": "Non connecté : rien n'a changé.",
    "The connection could not be completed. Please try again.": "La connexion n'a pas pu aboutir. Merci de réessayer.",
    "Connected": "Connecté",
    "Disconnected": "Déconnecté",
    "Consent expired": "Consentement expiré",
    "Not finished": "Non terminé",
    "Shared with {0}": "Partagé avec {0}",
    "You no longer share {0} data for {1}.": "Vous ne partagez plus les données {0} pour {1}.",
    "the app": "l'application",
    "The app": "L'application",
    "Disconnecting {0} stops all further syncs; data already shared is kept.": "Déconnecter {0} arrête toute synchronisation ; les données déjà partagées sont conservées.",
    " {0} will stop receiving new data from {1}: {2}.": " {0} ne recevra plus de nouvelles données de {1} : {2}.",
    " It is used for: {0}.": " Elle sert à : {0}.",
    "You will no longer share {0} data for {1}.": "Vous ne partagerez plus les données {0} pour {1}.",
    " {0} stops sharing {1}.": " {0} arrête de partager : {1}.",
    " Every data type it uses is still used by another product, so nothing stops being read.": " Chaque type de données qu'il utilise sert encore à un autre produit : rien ne cesse d'être lu.",
    " You stay connected for your other products.": " Vous restez connecté pour vos autres produits.",
    "Company details": "Informations sur l'entreprise",
    "Chart of accounts": "Plan comptable",
    "Customers": "Clients",
    "Suppliers": "Fournisseurs",
    "Invoices": "Factures",
    "Bills": "Factures fournisseurs",
    "Payments": "Paiements",
    "Bill payments": "Paiements fournisseurs",
    "Credit notes": "Avoirs",
    "Tax rates": "Taux de taxe",
    "Bank accounts": "Comptes bancaires",
    "Profit and loss": "Compte de résultat",
    "Balance sheet": "Bilan",
    "Journal entries": "Écritures comptables",
    "Bank transactions": "Opérations bancaires",
    "Bank account balances": "Soldes des comptes",
    "Store details": "Informations de la boutique",
    "Store orders": "Commandes",
    "Store customers": "Clients de la boutique",
    "Store products": "Produits",
    "Store payments": "Paiements de la boutique",
    "Store transactions": "Virements et frais",
    "Close": "Fermer",
    "All done": "C'est terminé",
    "Your data is connected. Thank you.": "Vos données sont connectées. Merci.",
    "Something went wrong": "Un problème est survenu",
    "{0} is disconnected.": "{0} est déconnecté.",
    "Finish signing in to {0} in the window that opened.": "Terminez la connexion à {0} dans la fenêtre qui s'est ouverte.",
    "This page's origin ({0}) is not allowed to manage connections, or Consentry is unreachable.": "L'origine de cette page ({0}) n'est pas autorisée à gérer les connexions, ou Consentry est injoignable.",
    "Consentry answered {0}.": "Consentry a répondu {0}."
  },
  de: {
    "{0} asks for your consent again": "{0} bittet Sie erneut um Ihre Einwilligung",
    "{0} would like to use the data you already share for another purpose. Review it, then continue.": "{0} möchte die bereits geteilten Daten für einen weiteren Zweck nutzen. Prüfen Sie ihn und fahren Sie fort.",
    "Share your business data with {0}": "Teilen Sie Ihre Unternehmensdaten mit {0}",
    "Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time.": "Verbinden Sie die Plattformen, die Sie nutzen. Es dauert nur wenige Minuten, Sie melden sich bei jeder Plattform selbst an und können die Verbindung jederzeit trennen.",
    "Get started": "Los geht's",
    " (optional)": " (optional)",
    "{0} connected": "{0} verbunden",
    "{0} file(s) uploaded": "{0} Datei(en) hochgeladen",
    "Skipped": "Übersprungen",
    "{0} integrations": "{0}-Integrationen",
    "No {0} integration is available.": "Keine Integration für {0} verfügbar.",
    "Or upload files instead (PDF, CSV or XLSX, up to 10 MB)": "Oder laden Sie stattdessen Dateien hoch (PDF, CSV oder XLSX, bis 10 MB)",
    "Upload": "Hochladen",
    "Skip {0}": "{0} überspringen",
    "Complete": "Abschließen",
    "Connect your business": "Verbinden Sie Ihr Unternehmen",
    "Continue to {0}": "Weiter zu {0}",
    "Connect {0}": "{0} verbinden",
    "Back": "Zurück",
    "Connecting {0}…": "Verbindung mit {0}…",
    "Taking you to {0} to sign in.": "Sie werden zur Anmeldung zu {0} weitergeleitet.",
    "Reopen the {0} window": "{0}-Fenster erneut öffnen",
    "Finish in the {0} window": "Schließen Sie im {0}-Fenster ab",
    "Sign in to {0} in the window that opened, then come back here.": "Melden Sie sich im geöffneten Fenster bei {0} an und kommen Sie dann hierher zurück.",
    "Cancel": "Abbrechen",
    "{0} connected.": "{0} verbunden.",
    "You cancelled: nothing was shared. Choose again or skip.": "Sie haben abgebrochen: Es wurde nichts geteilt. Wählen Sie erneut oder überspringen Sie.",
    "That connection could not be completed. Please try again.": "Diese Verbindung konnte nicht hergestellt werden. Bitte versuchen Sie es erneut.",
    "Choose a file first.": "Wählen Sie zuerst eine Datei.",
    "{0} uploaded.": "{0} hochgeladen.",
    "This page runs inside the app that sent you here. Go back to the app to connect your business.": "Diese Seite läuft in der App, die Sie hierher geschickt hat. Kehren Sie zur App zurück, um Ihr Unternehmen zu verbinden.",
    " (or upload files)": " (oder Dateien hochladen)",
    " and ": " und ",
    "To complete, connect {0}.": "Zum Abschließen verbinden Sie: {0}.",
    "{0} asks to read your {1} data from {2}. You sign in at {2}; we never see your password.": "{0} möchte Ihre {1}-Daten aus {2} lesen. Sie melden sich bei {2} an; wir sehen Ihr Passwort nie.",
    "Purpose": "Zweck",
    "Access": "Zugriff",
    "Retention": "Aufbewahrung",
    "{0} uses this data to assess and serve your business.": "{0} nutzt diese Daten, um Ihr Unternehmen zu bewerten und zu betreuen.",
    "Read-only access. Nothing is changed in your account.": "Nur Lesezugriff. In Ihrem Konto wird nichts geändert.",
    "Data is kept while you stay connected; you can disconnect at any time and ask for it to be deleted.": "Die Daten werden aufbewahrt, solange Sie verbunden bleiben; Sie können die Verbindung jederzeit trennen und die Löschung verlangen.",
    "Terms and conditions": "Allgemeine Geschäftsbedingungen",
    "Accounting": "Buchhaltung",
    "Banking": "Bank",
    "Commerce": "Handel",
    "accounting": "Buchhaltung",
    "banking": "Bank",
    "commerce": "Handels",
    "Your connections": "Ihre Verbindungen",
    "No connections yet.": "Noch keine Verbindungen.",
    "Add a connection": "Verbindung hinzufügen",
    "Disconnect": "Trennen",
    "Reconnect": "Neu verbinden",
    "Keep connected": "Verbunden bleiben",
    "Disconnect {0}": "{0} trennen",
    "Keep sharing": "Weiter teilen",
    "Stop sharing for {0}": "Teilen für {0} beenden",
    "Your consent at {0} ends on {1}.": "Ihre Einwilligung bei {0} endet am {1}.",
    "{0} is connected.": "{0} ist verbunden.",
    "Not connected: nothing changed.": "Nicht verbunden: Es hat sich nichts geändert.",
    "The connection could not be completed. Please try again.": "Die Verbindung konnte nicht hergestellt werden. Bitte versuchen Sie es erneut.",
    "Connected": "Verbunden",
    "Disconnected": "Getrennt",
    "Consent expired": "Einwilligung abgelaufen",
    "Not finished": "Nicht abgeschlossen",
    "Shared with {0}": "Geteilt mit {0}",
    "You no longer share {0} data for {1}.": "Sie teilen keine {0}-Daten mehr für {1}.",
    "the app": "die App",
    "The app": "Die App",
    "Disconnecting {0} stops all further syncs; data already shared is kept.": "Das Trennen von {0} beendet alle weiteren Synchronisierungen; bereits geteilte Daten bleiben erhalten.",
    " {0} will stop receiving new data from {1}: {2}.": " {0} erhält keine neuen Daten mehr von {1}: {2}.",
    " It is used for: {0}.": " Sie wird genutzt für: {0}.",
    "You will no longer share {0} data for {1}.": "Sie teilen dann keine {0}-Daten mehr für {1}.",
    " {0} stops sharing {1}.": " {0} teilt nicht mehr: {1}.",
    " Every data type it uses is still used by another product, so nothing stops being read.": " Jeder genutzte Datentyp wird noch von einem anderen Produkt verwendet, daher wird weiterhin alles gelesen.",
    " You stay connected for your other products.": " Für Ihre anderen Produkte bleiben Sie verbunden.",
    "Company details": "Unternehmensdaten",
    "Chart of accounts": "Kontenplan",
    "Customers": "Kunden",
    "Suppliers": "Lieferanten",
    "Invoices": "Rechnungen",
    "Bills": "Eingangsrechnungen",
    "Payments": "Zahlungen",
    "Bill payments": "Zahlungsausgänge",
    "Credit notes": "Gutschriften",
    "Tax rates": "Steuersätze",
    "Bank accounts": "Bankkonten",
    "Profit and loss": "Gewinn- und Verlustrechnung",
    "Balance sheet": "Bilanz",
    "Journal entries": "Buchungssätze",
    "Bank transactions": "Kontoumsätze",
    "Bank account balances": "Kontostände",
    "Store details": "Shop-Angaben",
    "Store orders": "Bestellungen",
    "Store customers": "Shop-Kunden",
    "Store products": "Produkte",
    "Store payments": "Shop-Zahlungen",
    "Store transactions": "Auszahlungen und Gebühren",
    "Close": "Schließen",
    "All done": "Fertig",
    "Your data is connected. Thank you.": "Ihre Daten sind verbunden. Vielen Dank.",
    "Something went wrong": "Etwas ist schiefgelaufen",
    "{0} is disconnected.": "{0} ist getrennt.",
    "Finish signing in to {0} in the window that opened.": "Schließen Sie die Anmeldung bei {0} im geöffneten Fenster ab.",
    "This page's origin ({0}) is not allowed to manage connections, or Consentry is unreachable.": "Der Ursprung dieser Seite ({0}) darf keine Verbindungen verwalten, oder Consentry ist nicht erreichbar.",
    "Consentry answered {0}.": "Consentry hat mit {0} geantwortet."
  },
  es: {
    "{0} asks for your consent again": "{0} le vuelve a pedir su consentimiento",
    "{0} would like to use the data you already share for another purpose. Review it, then continue.": "{0} quiere usar los datos que ya comparte para otra finalidad. Revísela y continúe.",
    "Share your business data with {0}": "Comparta los datos de su empresa con {0}",
    "Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time.": "Conecte las plataformas que utiliza. Solo lleva unos minutos, inicia sesión en cada plataforma y puede desconectarse en cualquier momento.",
    "Get started": "Empezar",
    " (optional)": " (opcional)",
    "{0} connected": "{0} conectado",
    "{0} file(s) uploaded": "{0} archivo(s) subido(s)",
    "Skipped": "Omitido",
    "{0} integrations": "Integraciones de {0}",
    "No {0} integration is available.": "No hay ninguna integración de {0} disponible.",
    "Or upload files instead (PDF, CSV or XLSX, up to 10 MB)": "O suba archivos en su lugar (PDF, CSV o XLSX, hasta 10 MB)",
    "Upload": "Subir",
    "Skip {0}": "Omitir {0}",
    "Complete": "Finalizar",
    "Connect your business": "Conecte su empresa",
    "Continue to {0}": "Continuar a {0}",
    "Connect {0}": "Conectar {0}",
    "Back": "Volver",
    "Connecting {0}…": "Conectando {0}…",
    "Taking you to {0} to sign in.": "Le llevamos a {0} para iniciar sesión.",
    "Reopen the {0} window": "Volver a abrir la ventana de {0}",
    "Finish in the {0} window": "Termine en la ventana de {0}",
    "Sign in to {0} in the window that opened, then come back here.": "Inicie sesión en {0} en la ventana que se ha abierto y vuelva aquí.",
    "Cancel": "Cancelar",
    "{0} connected.": "{0} conectado.",
    "You cancelled: nothing was shared. Choose again or skip.": "Ha cancelado: no se ha compartido nada. Elija de nuevo u omita.",
    "That connection could not be completed. Please try again.": "No se ha podido completar esa conexión. Inténtelo de nuevo.",
    "Choose a file first.": "Elija primero un archivo.",
    "{0} uploaded.": "{0} subido.",
    "This page runs inside the app that sent you here. Go back to the app to connect your business.": "Esta página funciona dentro de la aplicación que le ha enviado aquí. Vuelva a la aplicación para conectar su empresa.",
    " (or upload files)": " (o suba archivos)",
    " and ": " y ",
    "To complete, connect {0}.": "Para finalizar, conecte: {0}.",
    "{0} asks to read your {1} data from {2}. You sign in at {2}; we never see your password.": "{0} solicita leer sus datos de {1} de {2}. Inicia sesión en {2}; nunca vemos su contraseña.",
    "Purpose": "Finalidad",
    "Access": "Acceso",
    "Retention": "Conservación",
    "{0} uses this data to assess and serve your business.": "{0} usa estos datos para evaluar y atender a su empresa.",
    "Read-only access. Nothing is changed in your account.": "Acceso de solo lectura. No se cambia nada en su cuenta.",
    "Data is kept while you stay connected; you can disconnect at any time and ask for it to be deleted.": "Los datos se conservan mientras siga conectado; puede desconectarse en cualquier momento y solicitar su eliminación.",
    "Terms and conditions": "Términos y condiciones",
    "Accounting": "Contabilidad",
    "Banking": "Banca",
    "Commerce": "Comercio",
    "accounting": "contabilidad",
    "banking": "bancarios",
    "commerce": "comercio",
    "Your connections": "Sus conexiones",
    "No connections yet.": "Todavía no hay conexiones.",
    "Add a connection": "Añadir una conexión",
    "Disconnect": "Desconectar",
    "Reconnect": "Volver a conectar",
    "Keep connected": "Seguir conectado",
    "Disconnect {0}": "Desconectar {0}",
    "Keep sharing": "Seguir compartiendo",
    "Stop sharing for {0}": "Dejar de compartir para {0}",
    "Your consent at {0} ends on {1}.": "Su consentimiento en {0} termina el {1}.",
    "{0} is connected.": "{0} está conectado.",
    "Not connected: nothing changed.": "No conectado: no ha cambiado nada.",
    "The connection could not be completed. Please try again.": "No se ha podido completar la conexión. Inténtelo de nuevo.",
    "Connected": "Conectado",
    "Disconnected": "Desconectado",
    "Consent expired": "Consentimiento caducado",
    "Not finished": "Sin terminar",
    "Shared with {0}": "Compartido con {0}",
    "You no longer share {0} data for {1}.": "Ya no comparte datos de {0} para {1}.",
    "the app": "la aplicación",
    "The app": "La aplicación",
    "Disconnecting {0} stops all further syncs; data already shared is kept.": "Desconectar {0} detiene todas las sincronizaciones; los datos ya compartidos se conservan.",
    " {0} will stop receiving new data from {1}: {2}.": " {0} dejará de recibir datos nuevos de {1}: {2}.",
    " It is used for: {0}.": " Se usa para: {0}.",
    "You will no longer share {0} data for {1}.": "Dejará de compartir datos de {0} para {1}.",
    " {0} stops sharing {1}.": " {0} deja de compartir: {1}.",
    " Every data type it uses is still used by another product, so nothing stops being read.": " Cada tipo de datos que usa lo sigue usando otro producto, así que se sigue leyendo todo.",
    " You stay connected for your other products.": " Sigue conectado para sus otros productos.",
    "Company details": "Datos de la empresa",
    "Chart of accounts": "Plan de cuentas",
    "Customers": "Clientes",
    "Suppliers": "Proveedores",
    "Invoices": "Facturas",
    "Bills": "Facturas de proveedores",
    "Payments": "Pagos",
    "Bill payments": "Pagos a proveedores",
    "Credit notes": "Notas de crédito",
    "Tax rates": "Tipos impositivos",
    "Bank accounts": "Cuentas bancarias",
    "Profit and loss": "Cuenta de resultados",
    "Balance sheet": "Balance",
    "Journal entries": "Asientos contables",
    "Bank transactions": "Movimientos bancarios",
    "Bank account balances": "Saldos de las cuentas",
    "Store details": "Datos de la tienda",
    "Store orders": "Pedidos",
    "Store customers": "Clientes de la tienda",
    "Store products": "Productos",
    "Store payments": "Pagos de la tienda",
    "Store transactions": "Liquidaciones y comisiones",
    "Close": "Cerrar",
    "All done": "Todo listo",
    "Your data is connected. Thank you.": "Sus datos están conectados. Gracias.",
    "Something went wrong": "Algo salió mal",
    "{0} is disconnected.": "{0} está desconectado.",
    "Finish signing in to {0} in the window that opened.": "Termine de iniciar sesión en {0} en la ventana que se abrió.",
    "This page's origin ({0}) is not allowed to manage connections, or Consentry is unreachable.": "El origen de esta página ({0}) no puede gestionar conexiones, o Consentry no está disponible.",
    "Consentry answered {0}.": "Consentry respondió {0}."
  },
  nl: {
    "{0} asks for your consent again": "{0} vraagt opnieuw om uw toestemming",
    "{0} would like to use the data you already share for another purpose. Review it, then continue.": "{0} wil de gegevens die u al deelt voor een ander doel gebruiken. Bekijk het en ga verder.",
    "Share your business data with {0}": "Deel uw bedrijfsgegevens met {0}",
    "Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time.": "Koppel de platforms die u gebruikt. Het duurt een paar minuten, u logt bij elk platform zelf in en u kunt de koppeling altijd verbreken.",
    "Get started": "Aan de slag",
    " (optional)": " (optioneel)",
    "{0} connected": "{0} gekoppeld",
    "{0} file(s) uploaded": "{0} bestand(en) geüpload",
    "Skipped": "Overgeslagen",
    "{0} integrations": "{0}-integraties",
    "No {0} integration is available.": "Er is geen {0}-integratie beschikbaar.",
    "Or upload files instead (PDF, CSV or XLSX, up to 10 MB)": "Of upload in plaats daarvan bestanden (PDF, CSV of XLSX, tot 10 MB)",
    "Upload": "Uploaden",
    "Skip {0}": "{0} overslaan",
    "Complete": "Afronden",
    "Connect your business": "Koppel uw bedrijf",
    "Continue to {0}": "Doorgaan naar {0}",
    "Connect {0}": "{0} koppelen",
    "Back": "Terug",
    "Connecting {0}…": "{0} koppelen…",
    "Taking you to {0} to sign in.": "We brengen u naar {0} om in te loggen.",
    "Reopen the {0} window": "Het {0}-venster opnieuw openen",
    "Finish in the {0} window": "Rond af in het {0}-venster",
    "Sign in to {0} in the window that opened, then come back here.": "Log in bij {0} in het venster dat is geopend en kom dan hier terug.",
    "Cancel": "Annuleren",
    "{0} connected.": "{0} gekoppeld.",
    "You cancelled: nothing was shared. Choose again or skip.": "U heeft geannuleerd: er is niets gedeeld. Kies opnieuw of sla over.",
    "That connection could not be completed. Please try again.": "Die koppeling kon niet worden voltooid. Probeer het opnieuw.",
    "Choose a file first.": "Kies eerst een bestand.",
    "{0} uploaded.": "{0} geüpload.",
    "This page runs inside the app that sent you here. Go back to the app to connect your business.": "Deze pagina werkt binnen de app die u hierheen stuurde. Ga terug naar de app om uw bedrijf te koppelen.",
    " (or upload files)": " (of upload bestanden)",
    " and ": " en ",
    "To complete, connect {0}.": "Om af te ronden, koppel: {0}.",
    "{0} asks to read your {1} data from {2}. You sign in at {2}; we never see your password.": "{0} vraagt om uw {1}-gegevens uit {2} te lezen. U logt in bij {2}; wij zien uw wachtwoord nooit.",
    "Purpose": "Doel",
    "Access": "Toegang",
    "Retention": "Bewaartermijn",
    "{0} uses this data to assess and serve your business.": "{0} gebruikt deze gegevens om uw bedrijf te beoordelen en te bedienen.",
    "Read-only access. Nothing is changed in your account.": "Alleen-lezen toegang. Er wordt niets gewijzigd in uw account.",
    "Data is kept while you stay connected; you can disconnect at any time and ask for it to be deleted.": "Gegevens worden bewaard zolang u gekoppeld blijft; u kunt altijd ontkoppelen en vragen ze te verwijderen.",
    "Terms and conditions": "Algemene voorwaarden",
    "Accounting": "Boekhouding",
    "Banking": "Bank",
    "Commerce": "Handel",
    "accounting": "boekhouding",
    "banking": "bank",
    "commerce": "handels",
    "Your connections": "Uw koppelingen",
    "No connections yet.": "Nog geen koppelingen.",
    "Add a connection": "Koppeling toevoegen",
    "Disconnect": "Ontkoppelen",
    "Reconnect": "Opnieuw koppelen",
    "Keep connected": "Gekoppeld blijven",
    "Disconnect {0}": "{0} ontkoppelen",
    "Keep sharing": "Blijven delen",
    "Stop sharing for {0}": "Stoppen met delen voor {0}",
    "Your consent at {0} ends on {1}.": "Uw toestemming bij {0} eindigt op {1}.",
    "{0} is connected.": "{0} is gekoppeld.",
    "Not connected: nothing changed.": "Niet gekoppeld: er is niets gewijzigd.",
    "The connection could not be completed. Please try again.": "De koppeling kon niet worden voltooid. Probeer het opnieuw.",
    "Connected": "Gekoppeld",
    "Disconnected": "Ontkoppeld",
    "Consent expired": "Toestemming verlopen",
    "Not finished": "Niet afgerond",
    "Shared with {0}": "Gedeeld met {0}",
    "You no longer share {0} data for {1}.": "U deelt geen {0}-gegevens meer voor {1}.",
    "the app": "de app",
    "The app": "De app",
    "Disconnecting {0} stops all further syncs; data already shared is kept.": "Ontkoppelen van {0} stopt alle verdere synchronisaties; al gedeelde gegevens blijven bewaard.",
    " {0} will stop receiving new data from {1}: {2}.": " {0} ontvangt geen nieuwe gegevens meer van {1}: {2}.",
    " It is used for: {0}.": " Deze wordt gebruikt voor: {0}.",
    "You will no longer share {0} data for {1}.": "U deelt dan geen {0}-gegevens meer voor {1}.",
    " {0} stops sharing {1}.": " {0} stopt met het delen van: {1}.",
    " Every data type it uses is still used by another product, so nothing stops being read.": " Elk gegevenstype dat het gebruikt, wordt nog door een ander product gebruikt, dus alles wordt nog gelezen.",
    " You stay connected for your other products.": " U blijft gekoppeld voor uw andere producten.",
    "Company details": "Bedrijfsgegevens",
    "Chart of accounts": "Rekeningschema",
    "Customers": "Klanten",
    "Suppliers": "Leveranciers",
    "Invoices": "Facturen",
    "Bills": "Inkoopfacturen",
    "Payments": "Betalingen",
    "Bill payments": "Betalingen aan leveranciers",
    "Credit notes": "Creditnota's",
    "Tax rates": "Belastingtarieven",
    "Bank accounts": "Bankrekeningen",
    "Profit and loss": "Winst-en-verliesrekening",
    "Balance sheet": "Balans",
    "Journal entries": "Journaalposten",
    "Bank transactions": "Banktransacties",
    "Bank account balances": "Rekeningsaldi",
    "Store details": "Winkelgegevens",
    "Store orders": "Bestellingen",
    "Store customers": "Winkelklanten",
    "Store products": "Producten",
    "Store payments": "Winkelbetalingen",
    "Store transactions": "Uitbetalingen en kosten",
    "Close": "Sluiten",
    "All done": "Klaar",
    "Your data is connected. Thank you.": "Uw gegevens zijn gekoppeld. Bedankt.",
    "Something went wrong": "Er ging iets mis",
    "{0} is disconnected.": "{0} is ontkoppeld.",
    "Finish signing in to {0} in the window that opened.": "Rond het inloggen bij {0} af in het venster dat is geopend.",
    "This page's origin ({0}) is not allowed to manage connections, or Consentry is unreachable.": "De herkomst van deze pagina ({0}) mag geen koppelingen beheren, of Consentry is onbereikbaar.",
    "Consentry answered {0}.": "Consentry antwoordde {0}."
  }
};

// src/protocol.ts
var SDK = "consentry-sdk";
var EMBED = "consentry-embed";
var POPUP = "consentry-popup";
var RESULT_FRAGMENT = "consentry-result";
function trusted(event, origin, source, envelope) {
  if (event.origin !== origin || source == null || event.source !== source) return false;
  const data = event.data;
  return typeof data === "object" && data !== null && data.source === envelope && typeof data.type === "string";
}
function readResume(hash) {
  const match = new RegExp(`(?:^#|&)${RESULT_FRAGMENT}=([0-9a-fA-F-]{36}):(\\d{3})(?:&|$)`).exec(hash);
  return match ? { connectionId: match[1].toLowerCase(), status: Number(match[2]) } : void 0;
}
function withoutResume(url) {
  const [base, hash = ""] = url.split("#", 2);
  const rest = hash.split("&").filter((p) => p && !p.startsWith(`${RESULT_FRAGMENT}=`)).join("&");
  return rest ? `${base}#${rest}` : base;
}
function isAuthorizeUrl(url, origin) {
  try {
    const parsed = new URL(url);
    return parsed.origin === origin && parsed.pathname === "/link/embed/authorize" && parsed.searchParams.has("ticket");
  } catch {
    return false;
  }
}
var GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
function isGuid(value) {
  return typeof value === "string" && GUID.test(value);
}

// src/connections.ts
var DATA_TYPE_LABELS = {
  company: "Company details",
  profitAndLoss: "Profit and loss",
  "banking-accountBalances": "Bank account balances",
  "commerce-companyInfo": "Store details"
};
function dataTypeLabel(dataType) {
  const known = DATA_TYPE_LABELS[dataType];
  if (known) return t(known);
  const [area, name] = dataType.includes("-") ? dataType.split("-", 2) : ["", dataType];
  const prefix = area === "banking" ? "bank " : area === "commerce" ? "store " : "";
  const words = (prefix + name.replace(/([a-z])([A-Z])/g, "$1 $2")).toLowerCase();
  return t(words.charAt(0).toUpperCase() + words.slice(1));
}
function dataTypeList(dataTypes) {
  return dataTypes.map(dataTypeLabel).join(", ");
}
function formatDate(iso, locale2 = locale() === "en" ? void 0 : locale()) {
  return new Intl.DateTimeFormat(locale2, { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));
}
function revokeText(c, consent, appName = t("the app")) {
  const product = consent.productIdentifier ?? appName;
  const stops = consent.stopsIfRevoked.length > 0 ? t(" {0} stops sharing {1}.", c.platformName, dataTypeList(consent.stopsIfRevoked)) : t(" Every data type it uses is still used by another product, so nothing stops being read.");
  return `${t("You will no longer share {0} data for {1}.", c.platformName, product)}${stops}${t(" You stay connected for your other products.")}`;
}
function toArgs(c) {
  return { connectionId: c.id, integrationId: c.integrationId, integrationKey: c.integrationKey, platformName: c.platformName, sourceId: c.sourceId, sourceType: c.sourceType };
}
function impactText(c, appName = t("The app")) {
  const products = c.impact.products.length > 0 ? t(" It is used for: {0}.", c.impact.products.join(", ")) : "";
  const data = c.impact.dataTypes.length > 0 ? t(" {0} will stop receiving new data from {1}: {2}.", appName, c.platformName, dataTypeList(c.impact.dataTypes)) : "";
  return `${t("Disconnecting {0} stops all further syncs; data already shared is kept.", c.platformName)}${data}${products}`;
}
var STATUS_TEXT = {
  Linked: "Connected",
  Unlinked: "Disconnected",
  Deauthorized: "Consent expired",
  PendingAuth: "Not finished"
};
var STYLE = `
:host { display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111827; }
ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
li { border: 1px solid #D1D5DB; border-radius: 10px; padding: 12px; display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
img { width: 32px; height: 32px; }
.name { font-weight: 600; flex: 1; }
.status { color: #4B5563; }
.impact { flex-basis: 100%; margin: 0; color: #4B5563; }
button { font: inherit; font-weight: 600; border-radius: 8px; padding: 8px 12px; min-height: 40px; cursor: pointer; border: 2px solid var(--consentry-primary, #4F46E5); background: #fff; color: var(--consentry-primary, #4F46E5); }
button.primary { background: var(--consentry-primary, #4F46E5); color: #fff; }
button.danger { background: #B91C1C; border-color: #B91C1C; color: #fff; }
button:focus-visible { outline: 3px solid #F59E0B; outline-offset: 2px; }
.error { color: #B91C1C; }
h2 { font-size: 1.1rem; }`;
var CodatConnections = class {
  #origin;
  #props;
  #root;
  #host;
  #connections = [];
  /** The app's name (its Link branding), read once; "the app" until then or when it cannot be read. */
  #appName;
  #message = "";
  #onMessage;
  #watch;
  constructor({ target, props, baseUrl }) {
    if (!(target instanceof HTMLElement)) throw new TypeError("CodatConnections: target must be an HTMLElement.");
    if (!props || !isGuid(props.companyId) || typeof props.accessToken !== "string") {
      throw new TypeError("CodatConnections: props.companyId (a GUID) and props.accessToken are required.");
    }
    if (props.locale) setLocale(props.locale);
    this.#props = props;
    this.#origin = new URL(baseUrl ?? import.meta.url).origin;
    this.#host = document.createElement("div");
    this.#host.setAttribute("data-consentry-connections", "");
    this.#root = this.#host.attachShadow({ mode: "open" });
    target.append(this.#host);
    void this.#start();
  }
  destroy() {
    this.#stopWaiting();
    this.#host.remove();
  }
  #stopWaiting() {
    if (this.#onMessage) window.removeEventListener("message", this.#onMessage);
    if (this.#watch !== void 0) window.clearInterval(this.#watch);
    this.#onMessage = void 0;
    this.#watch = void 0;
  }
  /** Reads the list again (e.g. after the app connected something elsewhere). */
  async refresh() {
    try {
      if (this.#appName === void 0) {
        this.#appName = await this.#api("GET", "/journey").then((j) => j.brandName || "", () => "");
      }
      this.#connections = await this.#api("GET", "/connections");
    } catch (e) {
      this.#error(e);
    }
    this.#render();
  }
  async #start() {
    const resume = readResume(location.hash);
    if (resume) history.replaceState(history.state, "", withoutResume(location.href));
    await this.refresh();
    if (resume) this.#announce(resume.connectionId, resume.status);
  }
  #announce(connectionId, status) {
    const connection = this.#connections.find((c) => c.id === connectionId);
    if (connection?.status === "Linked") {
      this.#message = t("{0} is connected.", connection.platformName);
      this.#props.onConnection?.(toArgs(connection));
    } else {
      this.#message = status === 403 || status === 0 ? t("Not connected: nothing changed.") : t("The connection could not be completed. Please try again.");
    }
    this.#render();
  }
  async #api(method, path, body) {
    let response;
    try {
      response = await fetch(`${this.#origin}/link/api/companies/${this.#props.companyId}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.#props.accessToken}`, ...this.#props.locale ? { "Accept-Language": locale() } : {}, ...body === void 0 ? {} : { "Content-Type": "application/json" } },
        body: body === void 0 ? void 0 : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store"
      });
    } catch {
      throw Object.assign(new Error(t("This page's origin ({0}) is not allowed to manage connections, or Consentry is unreachable.", location.origin)), { status: 0 });
    }
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      throw Object.assign(new Error(error.error ?? t("Consentry answered {0}.", response.status)), { status: response.status });
    }
    return await response.json();
  }
  #error(e) {
    const status = e.status;
    this.#message = e instanceof Error ? e.message : String(e);
    this.#props.onError?.({ message: this.#message, errorCode: status || void 0, userRecoverable: status !== 0 && status !== 401 && status !== 403 });
  }
  #el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }
  #button(label, onClick, kind = "") {
    const b = this.#el("button", { type: "button", className: kind }, label);
    b.addEventListener("click", onClick);
    return b;
  }
  #render(confirming) {
    const app = this.#appName || "the app";
    const items = this.#connections.map((c) => {
      const li = this.#el(
        "li",
        {},
        this.#el("img", { src: `${this.#origin}${c.logoUrl}`, alt: "" }),
        this.#el("span", { className: "name" }, c.platformName),
        this.#el("span", { className: "status" }, `${t(c.sourceType)} · ${t(STATUS_TEXT[c.status] ?? c.status)}`)
      );
      li.setAttribute("aria-label", c.platformName);
      if (c.consentExpiresAt && c.status === "Linked") {
        li.append(this.#el("p", { className: "impact" }, t("Your consent at {0} ends on {1}.", c.platformName, formatDate(c.consentExpiresAt))));
      }
      if (c.status === "Linked") {
        for (const consent of (c.consents ?? []).filter((s) => s.status === "Active")) {
          const key = `${c.id}:${consent.productIdentifier ?? "general"}`;
          const row = this.#el("p", { className: "impact" }, `${consent.productIdentifier ?? t("Shared with {0}", app)}: ${dataTypeList(consent.dataTypes)} `);
          if (confirming === key) {
            row.append(
              this.#el("span", {}, revokeText(c, consent, app)),
              " ",
              this.#button(t("Keep sharing"), () => this.#render(), "primary"),
              this.#button(t("Stop sharing for {0}", consent.productIdentifier ?? app), () => void this.#revoke(c, consent), "danger")
            );
          } else {
            row.append(this.#button(t("Stop sharing for {0}", consent.productIdentifier ?? app), () => this.#render(key)));
          }
          li.append(row);
        }
      }
      if (c.status === "Linked" && confirming === c.id) {
        li.append(
          this.#el("p", { className: "impact" }, impactText(c, this.#appName || t("The app"))),
          this.#button(t("Keep connected"), () => this.#render(), "primary"),
          this.#button(t("Disconnect {0}", c.platformName), () => void this.#disconnect(c), "danger")
        );
      } else if (c.status === "Linked") {
        li.append(this.#button(t("Disconnect"), () => this.#render(c.id)));
      } else {
        li.append(this.#button(t("Reconnect"), () => void this.#authorize(`/connections/${c.id}/authorize`, {}, this.#openPopup())));
      }
      return li;
    });
    const children = [this.#el("style", {}, STYLE), this.#el("h2", {}, t("Your connections"))];
    if (this.#message) children.push(this.#el("p", { role: "status" }, this.#message));
    children.push(items.length > 0 ? this.#el("ul", {}, ...items) : this.#el("p", {}, t("No connections yet.")));
    children.push(this.#button(t("Add a connection"), () => void this.#showAdd(), "primary"));
    this.#root.replaceChildren(...children);
  }
  async #showAdd() {
    try {
      const journey = await this.#api("GET", "/journey");
      const lists = journey.categories.filter((c) => c.enabled).map((c) => this.#el(
        "section",
        {},
        this.#el("h3", {}, c.title),
        this.#el("ul", {}, ...c.integrations.map((i) => this.#el(
          "li",
          {},
          this.#el("img", { src: `${this.#origin}${i.logoUrl}`, alt: "" }),
          this.#button(t("Connect {0}", i.name), () => void this.#authorize("/connections", { platformKey: i.key }, this.#openPopup()))
        )))
      ));
      this.#root.replaceChildren(this.#el("style", {}, STYLE), this.#el("h2", {}, t("Add a connection")), ...lists, this.#button(t("Back"), () => this.#render()));
    } catch (e) {
      this.#error(e);
      this.#render();
    }
  }
  #openPopup() {
    try {
      return window.open("about:blank", "consentry-signin", "popup=yes,width=520,height=720");
    } catch {
      return null;
    }
  }
  async #revoke(c, consent) {
    try {
      await this.#api("DELETE", `/connections/${c.id}/consents/${encodeURIComponent(consent.productIdentifier ?? "general")}`);
      this.#message = t("You no longer share {0} data for {1}.", c.platformName, consent.productIdentifier ?? (this.#appName || t("the app")));
    } catch (e) {
      this.#error(e);
    }
    await this.refresh();
  }
  async #disconnect(c) {
    try {
      await this.#api("PATCH", `/connections/${c.id}`, { status: "Unlinked" });
      this.#message = t("{0} is disconnected.", c.platformName);
      this.#props.onDisconnect?.(toArgs(c));
    } catch (e) {
      this.#error(e);
    }
    await this.refresh();
  }
  /** Starts a sign-in: in the popup opened by the click, or (blocked) by sending the page there and back. */
  async #authorize(path, body, popup) {
    try {
      const started = await this.#api(
        "POST",
        path,
        popup ? { ...body, mode: "Popup" } : { ...body, mode: "Redirect", returnUrl: withoutResume(location.href) }
      );
      const url = new URL(started.authorizeUrl, this.#origin).href;
      if (!popup) {
        if (isAuthorizeUrl(url, this.#origin)) window.location.assign(url);
        return;
      }
      popup.location.href = url;
      this.#stopWaiting();
      const done = (connectionId, status) => {
        this.#stopWaiting();
        void this.refresh().then(() => this.#announce(connectionId, status));
      };
      this.#onMessage = (event) => {
        if (!trusted(event, this.#origin, popup, POPUP)) return;
        const data = event.data;
        done(data.connectionId, data.status);
      };
      window.addEventListener("message", this.#onMessage);
      this.#watch = window.setInterval(() => {
        if (popup.closed) done(started.connection.connectionId, 0);
      }, 1e3);
      this.#message = t("Finish signing in to {0} in the window that opened.", started.connection.platformName);
      this.#render();
    } catch (e) {
      popup?.close();
      this.#error(e);
      this.#render();
    }
  }
};

// src/link.ts
function moduleOrigin() {
  return new URL(import.meta.url).origin;
}
async function preflight(origin, companyId, accessToken) {
  let response;
  try {
    response = await fetch(`${origin}/link/api/companies/${companyId}/journey`, {
      headers: { Authorization: `Bearer ${accessToken}` },
      credentials: "omit",
      cache: "no-store"
    });
  } catch {
    return { message: `This page's origin (${location.origin}) is not allowed to embed Link for this company, or Consentry is unreachable. Add the origin with POST /corsSettings.`, userRecoverable: false };
  }
  if (response.ok) return void 0;
  const body = await response.json().catch(() => ({}));
  return { message: body.error ?? `Consentry answered ${response.status}.`, errorCode: response.status, correlationId: body.correlationId, userRecoverable: false };
}
var CodatLink = class {
  #origin;
  #props;
  #target;
  #frame;
  #onMessage;
  #unlayout;
  #destroyed = false;
  constructor({ target, props, baseUrl }) {
    if (!(target instanceof HTMLElement)) throw new TypeError("CodatLink: target must be an HTMLElement.");
    if (!props || !isGuid(props.companyId)) throw new TypeError("CodatLink: props.companyId must be the company's id (a GUID).");
    for (const name of ["onConnection", "onFinish", "onError"]) {
      if (typeof props[name] !== "function") throw new TypeError(`CodatLink: props.${name} is required.`);
    }
    this.#target = target;
    this.#props = props;
    this.#origin = new URL(baseUrl ?? import.meta.url).origin;
    void this.#mount();
  }
  /** Removes the journey from the page (call it in onFinish, onClose, or after a non-recoverable error). */
  destroy() {
    this.#destroyed = true;
    if (this.#onMessage) window.removeEventListener("message", this.#onMessage);
    this.#unlayout?.();
    this.#unlayout = void 0;
    this.#frame?.remove();
    this.#frame = void 0;
  }
  async #mount() {
    const props = this.#props;
    const accessToken = props.accessToken ?? "";
    const resume = readResume(location.hash);
    if (resume) history.replaceState(history.state, "", withoutResume(location.href));
    const refused = accessToken ? await preflight(this.#origin, props.companyId, accessToken) : { message: "props.accessToken is required: get it with GET /companies/{companyId}/accessToken.", userRecoverable: false };
    if (this.#destroyed) return;
    if (refused) {
      this.#call(() => props.onError(refused));
      return;
    }
    const options = props.options ?? {};
    const frame = document.createElement("iframe");
    const locale2 = options.locale;
    frame.src = `${this.#origin}/link/embed/${props.companyId}${locale2 ? `?locale=${encodeURIComponent(locale2)}` : ""}`;
    setLocale(locale2 ?? navigator.language);
    frame.title = t("Connect your business");
    frame.referrerPolicy = "no-referrer";
    frame.setAttribute("data-consentry-link", "");
    Object.assign(frame.style, { display: "block", boxSizing: "border-box", colorScheme: "normal", background: "#fff" });
    this.#unlayout = this.#layout(frame, options.hideBorder !== true && options.nonModal !== true, options.nonModal);
    this.#onMessage = (event) => {
      if (!trusted(event, this.#origin, frame.contentWindow, EMBED)) return;
      this.#handle(event.data);
    };
    window.addEventListener("message", this.#onMessage);
    frame.addEventListener("load", () => {
      const init = {
        source: SDK,
        type: "init",
        accessToken,
        hasClose: typeof props.onClose === "function",
        returnUrl: withoutResume(location.href),
        resume,
        options: JSON.parse(JSON.stringify({ ...options, nonModal: void 0 }))
      };
      frame.contentWindow?.postMessage(init, this.#origin);
    });
    this.#frame = frame;
    this.#target.append(frame);
  }
  /**
   * Keeps the frame full-screen while the viewport is small (a phone, or a narrow window), in place otherwise; the
   * page behind does not scroll while the journey covers it. Answers how to undo it.
   */
  #layout(frame, bordered, nonModal) {
    const small = typeof window.matchMedia === "function" ? window.matchMedia(SMALL_SCREEN) : void 0;
    const root = document.documentElement;
    const overflow = root.style.overflow;
    const apply = () => {
      const full = isFullScreen(small?.matches === true, nonModal);
      Object.assign(frame.style, frameStyle(full, bordered));
      root.style.overflow = full ? "hidden" : overflow;
      frame.toggleAttribute("data-full-screen", full);
    };
    apply();
    small?.addEventListener("change", apply);
    return () => {
      small?.removeEventListener("change", apply);
      root.style.overflow = overflow;
    };
  }
  #handle(message) {
    const props = this.#props;
    switch (message.type) {
      case "connectionStarted":
        if (props.onConnectionStarted) this.#call(() => props.onConnectionStarted(message.connection));
        break;
      case "connection":
        this.#call(() => props.onConnection(message.connection));
        break;
      case "consent":
        if (props.onConsent) this.#call(() => props.onConsent({ text: message.text }));
        break;
      case "finish":
        this.#call(() => props.onFinish());
        break;
      case "close":
        if (props.onClose) this.#call(() => props.onClose());
        break;
      case "error":
        this.#call(() => props.onError(message.error));
        break;
      case "navigate":
        if (isAuthorizeUrl(message.url, this.#origin)) window.location.assign(message.url);
        break;
      default:
        break;
    }
  }
  /** An app callback that throws must not break the journey. */
  #call(callback) {
    try {
      callback();
    } catch (e) {
      console.error("CodatLink: a callback threw", e);
    }
  }
};
async function initializeCodatLink(target, props) {
  new CodatLink({ target, props });
}
export {
  CodatConnections,
  CodatLink,
  initializeCodatLink,
  moduleOrigin,
  preflight
};
