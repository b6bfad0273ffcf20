// Consentry Link SDK: built from sdk/link (npm run build). Do not edit.

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
function inSentence(title) {
  return current === "de" ? title : title.toLowerCase();
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
function trusted(event, origin, source, envelope) {
  if (event.origin !== origin || source == null || event.source !== source) return false;
  const data = event.data;
  return typeof data === "object" && data !== null && data.source === envelope && typeof data.type === "string";
}
function safeColor(value) {
  return typeof value === "string" && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value) ? value : void 0;
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

// src/journey.ts
function planCategories(journey2, options2) {
  const showSandboxes = options2.showSandboxIntegrations ?? journey2.showSandboxIntegrations;
  const sourceTypes = options2.sourceTypes;
  return journey2.categories.filter((c) => c.enabled && (!sourceTypes || sourceTypes[c.key] !== void 0)).map((c) => {
    const o = sourceTypes?.[c.key];
    const allowed = o?.allowedIntegrations;
    return {
      key: c.key,
      title: c.title,
      optional: o ? Boolean(o.optional) : c.optional,
      enableIntegrations: o ? o.enableIntegrations !== false : true,
      fileUpload: c.key !== "commerce" && c.fileUpload && (o ? o.enableFileUpload === true : true),
      fileUploadDescription: c.fileUploadDescription,
      integrations: c.integrations.filter((i) => (showSandboxes || !i.isSandbox) && (!allowed || allowed.includes(i.key))),
      dataTypes: o?.dataTypes,
      linked: c.linked,
      uploads: c.uploads,
      skipped: c.skipped
    };
  });
}
function satisfied(c) {
  return c.linked !== void 0 || c.uploads > 0 || c.optional && c.skipped;
}
function missing(categories2) {
  return categories2.filter((c) => !satisfied(c) && !c.optional);
}
function canComplete(categories2) {
  return missing(categories2).length === 0;
}
function missingText(categories2) {
  const names = missing(categories2).map((c) => inSentence(t(c.title)) + (c.fileUpload ? t(" (or upload files)") : ""));
  const list = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")}${t(" and ")}${names[names.length - 1]}`;
  return t("To complete, connect {0}.", list);
}
function text(options2, key, fallback, deprecated) {
  const texts = options2.text ?? {};
  const value = texts[key] ?? (deprecated ? texts[deprecated] : void 0);
  return typeof value === "string" && value.trim().length > 0 ? value : fallback;
}
function consentMarkdown(journey2, options2, category, integration) {
  const companyName = text(options2, "companyName", journey2.brandName);
  const k = category.key;
  const texts = journey2.texts;
  const dataTypes = category.dataTypes ?? integration.dataTypes;
  const parts = [
    `**${text(options2, `${k}.consents.title`, t("Connect {0}", integration.name))}**`,
    text(options2, `${k}.consents.subtitle`, t("{0} asks to read your {1} data from {2}. You sign in at {2}; we never see your password.", companyName, inSentence(t(category.title)), integration.name)),
    `**${t("Purpose")}**: ${text(options2, `${k}.consents.purpose`, texts.consentPurpose ?? t("{0} uses this data to assess and serve your business.", companyName))}`,
    `**${t("Access")}**: ${text(options2, `${k}.consents.access`, texts.consentAccess ?? t("Read-only access. Nothing is changed in your account."))}`,
    ...dataTypes.length > 0 ? [dataTypes.map((d) => `- ${dataTypeLabel(d)}`).join("\n")] : [],
    `**${t("Retention")}**: ${text(options2, `${k}.consents.retention`, texts.consentRetention ?? t("Data is kept while you stay connected; you can disconnect at any time and ask for it to be deleted."))}`
  ];
  const terms = text(options2, `${k}.consents.termsAndConditions`, texts.termsAndConditions ?? "", `${k}.dataAccess.consent`);
  if (terms) parts.push(terms);
  if (texts.termsAndConditionsUrl) parts.push(`[${t("Terms and conditions")}](${texts.termsAndConditionsUrl})`);
  return parts.join("\n\n").replace(/\{(companyName|platformName)\}/g, (_, key) => key === "companyName" ? companyName : integration.name);
}

// src/markdown.ts
function safeHref(href) {
  const trimmed = href.trim();
  if (/^mailto:[^\s]+$/i.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : void 0;
  } catch {
    return void 0;
  }
}
function parseInline(text2) {
  const out = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push({ type: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text2.length) {
    const rest = text2.slice(i);
    let m;
    if ((m = /^\*\*([^*]+?)\*\*/.exec(rest)) || (m = /^__([^_]+?)__/.exec(rest))) {
      flush();
      out.push({ type: "strong", children: parseInline(m[1]) });
      i += m[0].length;
    } else if ((m = /^\*([^*\s][^*]*?)\*/.exec(rest)) || (m = /^_([^_\s][^_]*?)_/.exec(rest))) {
      flush();
      out.push({ type: "em", children: parseInline(m[1]) });
      i += m[0].length;
    } else if (m = /^`([^`]+)`/.exec(rest)) {
      flush();
      out.push({ type: "code", text: m[1] });
      i += m[0].length;
    } else if (m = /^\[([^\]]+)\]\(([^()\s]+)\)/.exec(rest)) {
      flush();
      const href = safeHref(m[2]);
      if (href) out.push({ type: "link", href, children: parseInline(m[1]) });
      else out.push(...parseInline(m[1]));
      i += m[0].length;
    } else {
      plain += text2[i];
      i += 1;
    }
  }
  flush();
  return out;
}
function parseMarkdown(source) {
  const blocks = [];
  for (const chunk of source.replace(/\r\n?/g, "\n").split(/\n{2,}/)) {
    const lines = chunk.split("\n").filter((l) => l.trim().length > 0);
    if (lines.length === 0) continue;
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      blocks.push({ type: "ul", items: lines.map((l) => parseInline(l.replace(/^\s*[-*] /, "").trim())) });
    } else {
      blocks.push({ type: "p", children: parseInline(lines.map((l) => l.trim()).join(" ")) });
    }
  }
  return blocks;
}
function inlineNodes(doc, nodes) {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return doc.createTextNode(node.text);
      case "code": {
        const code = doc.createElement("code");
        code.textContent = node.text;
        return code;
      }
      case "link": {
        const a = doc.createElement("a");
        a.href = node.href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.append(...inlineNodes(doc, node.children));
        return a;
      }
      default: {
        const el2 = doc.createElement(node.type);
        el2.append(...inlineNodes(doc, node.children));
        return el2;
      }
    }
  });
}
function renderMarkdown(doc, source) {
  return parseMarkdown(source).map((block) => {
    if (block.type === "p") {
      const p = doc.createElement("p");
      p.append(...inlineNodes(doc, block.children));
      return p;
    }
    const ul = doc.createElement("ul");
    for (const item of block.items) {
      const li = doc.createElement("li");
      li.append(...inlineNodes(doc, item));
      ul.append(li);
    }
    return ul;
  });
}
function renderInline(doc, source) {
  return inlineNodes(doc, parseInline(source.replace(/\s+/g, " ").trim()));
}

// src/embed.ts
var root = document.getElementById("consentry-embed");
var companyId = root.dataset.companyId ?? "";
var allowedOrigins = (root.dataset.allowedOrigins ?? "").split(" ").filter(Boolean);
setLocale(document.documentElement.lang);
var parentOrigin;
var token = "";
var options = {};
var hasClose = false;
var returnUrl = "";
var journey;
var categories = [];
var notice;
var stopWaiting;
function post(message) {
  if (parentOrigin) window.parent.postMessage({ source: EMBED, ...message }, parentOrigin);
}
function fail(error) {
  post({ type: "error", error });
}
var ApiError = class extends Error {
  constructor(status, message, correlationId) {
    super(message);
    this.status = status;
    this.correlationId = correlationId;
  }
};
async function api(method, path, body) {
  const response = await fetch(`/link/api/companies/${companyId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": locale(), ...body === void 0 ? {} : { "Content-Type": "application/json" } },
    body: body === void 0 ? void 0 : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store"
  });
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    throw new ApiError(response.status, error.error ?? `The server answered ${response.status}.`, error.correlationId);
  }
  return response.status === 204 ? void 0 : await response.json();
}
function report(e, recoverable) {
  const status = e instanceof ApiError ? e.status : void 0;
  fail({
    message: e instanceof Error ? e.message : String(e),
    errorCode: status,
    correlationId: e instanceof ApiError ? e.correlationId : void 0,
    userRecoverable: recoverable && status !== 401 && status !== 403
  });
}
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
function button(label, onClick, secondary = false) {
  const b = el("button", { type: "button", className: secondary ? "secondary" : "" });
  b.append(...renderInline(document, label));
  b.addEventListener("click", onClick);
  return b;
}
function screen(title, ...content) {
  const children = [];
  if (hasClose) {
    const close = el("button", { type: "button", className: "close secondary", ariaLabel: t("Close") }, "×");
    close.addEventListener("click", () => post({ type: "close" }));
    children.push(close);
  }
  const h1 = el("h1", { id: "page-title" });
  h1.append(...renderInline(document, title));
  children.push(h1);
  if (notice) children.push(el("p", { className: notice.ok ? "status done" : "status failed", role: "status" }, notice.text));
  root.replaceChildren(...children, ...content);
  const focus = root.querySelector("h1");
  focus?.setAttribute("tabindex", "-1");
  focus?.focus({ preventScroll: true });
}
function markdown(source) {
  const div = el("div", { className: "markdown" });
  div.append(...renderMarkdown(document, source));
  return div;
}
function showLanding() {
  const brand = text(options, "companyName", journey.brandName);
  const additional = options.enableAdditionalConsent === true && journey.categories.some((c) => c.linked);
  const title = additional ? text(options, "accounting.additionalConsents.title", t("{0} asks for your consent again", brand), "accounting.dataAccess.additionalConsent.title") : text(options, "landing.title", journey.texts.landingTitle ?? t("Share your business data with {0}", brand));
  const subtitle = additional ? text(options, "accounting.additionalConsents.subtitle", t("{0} would like to use the data you already share for another purpose. Review it, then continue.", brand), "accounting.dataAccess.additionalConsent.subtitle") : text(options, "landing.subtitle", journey.texts.landingSubtitle ?? t("Connect the platforms you use. It takes a few minutes, you sign in at each platform, and you can disconnect at any time."));
  screen(title, markdown(subtitle), button(text(options, "landing.nextButton", t("Get started")), () => {
    if (additional) {
      const consentText = `${title}

${subtitle}`;
      post({ type: "consent", text: consentText });
      void api("POST", "/events", { step: "consented" }).catch(() => void 0);
      void confirmAdditional(consentText);
    }
    showMain();
  }));
}
async function confirmAdditional(consentText) {
  try {
    const connections = await api("GET", "/connections");
    for (const c of connections.filter((c2) => c2.status === "Linked" && (c2.pending?.length ?? 0) > 0)) {
      await api("POST", `/connections/${c.id}/consents`, { consentText });
    }
  } catch (e) {
    report(e, true);
  }
}
function showMain() {
  stopWaiting?.();
  const sections = categories.map((c) => {
    const section = el("section", { className: "category" });
    section.setAttribute("aria-labelledby", `cat-${c.key}`);
    section.append(el("h2", { id: `cat-${c.key}` }, `${t(c.title)}${c.optional ? t(" (optional)") : ""}`));
    if (c.linked) section.append(el("p", { className: "status done", role: "status" }, t("{0} connected", c.linked.platformName)));
    else if (c.uploads > 0) section.append(el("p", { className: "status done", role: "status" }, t("{0} file(s) uploaded", c.uploads)));
    else if (c.skipped && c.optional) section.append(el("p", { className: "status", role: "status" }, t("Skipped")));
    if (!c.linked && c.enableIntegrations) {
      const list = el("ul", { className: "integrations" });
      list.setAttribute("aria-label", t("{0} integrations", t(c.title)));
      for (const i of c.integrations) {
        const b = el("button", { type: "button" }, el("img", { src: i.logoUrl, alt: "" }), ` ${i.name}`);
        b.addEventListener("click", () => showConsent(c, i));
        list.append(el("li", {}, b));
      }
      section.append(list);
      if (c.integrations.length === 0) section.append(el("p", {}, t("No {0} integration is available.", inSentence(t(c.title)))));
    }
    if (!c.linked && c.fileUpload) {
      const input = el("input", { type: "file", id: `file-${c.key}`, accept: ".pdf,.csv,.xlsx" });
      const subtitle2 = text(options, `${c.key}.fileUpload.subtitle`, c.fileUploadDescription ?? "");
      section.append(
        el("label", { htmlFor: `file-${c.key}` }, t("Or upload files instead (PDF, CSV or XLSX, up to 10 MB)")),
        ...subtitle2 ? [markdown(subtitle2)] : [],
        input,
        button(t("Upload"), () => void upload(c, input), true)
      );
    }
    if (!satisfied(c) && c.optional) {
      section.append(button(t("Skip {0}", inSentence(t(c.title))), () => void skip(c), true));
    }
    return section;
  });
  const complete = button(t("Complete"), () => void finish());
  const actions = el("div", { className: "actions" });
  if (!canComplete(categories)) {
    complete.disabled = true;
    complete.setAttribute("aria-describedby", "complete-reason");
    actions.append(el("p", { id: "complete-reason" }, missingText(categories)));
  }
  actions.append(complete);
  const subtitle = text(options, "main.subtitle", "");
  screen(text(options, "main.title", t("Connect your business")), ...subtitle ? [markdown(subtitle)] : [], ...sections, actions);
}
function showConsent(category, integration) {
  notice = void 0;
  const consent = consentMarkdown(journey, options, category, integration);
  const next = text(options, `${category.key}.consents.nextButton`, t("Continue to {0}", integration.name), `${category.key}.dataAccess.nextButton`);
  const platform = el("div", { className: "platform" }, el("img", { src: integration.logoUrl, alt: "" }));
  screen(
    t("Connect {0}", integration.name),
    platform,
    markdown(consent.split("\n\n").slice(1).join("\n\n")),
    el(
      "div",
      { className: "actions" },
      // The popup is opened here, synchronously in the click, so popup blockers let it through.
      button(next, () => void connect(integration, consent, openPopup())),
      button(t("Back"), () => showMain(), true)
    )
  );
}
function openPopup() {
  try {
    return window.open("about:blank", "consentry-signin", "popup=yes,width=520,height=720");
  } catch {
    return null;
  }
}
async function connect(integration, consent, popup) {
  post({ type: "consent", text: consent });
  try {
    await api("POST", "/events", { step: "consented" });
    const started = await api(
      "POST",
      "/connections",
      // The consent the customer just read goes with the request: the consent ledger records it as the text shown.
      popup ? { platformKey: integration.key, mode: "Popup", consentText: consent } : { platformKey: integration.key, mode: "Redirect", returnUrl, consentText: consent }
    );
    post({ type: "connectionStarted", connection: started.connection });
    const url = new URL(started.authorizeUrl, location.origin).href;
    if (!popup) {
      post({ type: "navigate", url });
      screen(t("Connecting {0}…", integration.name), el("p", { role: "status" }, t("Taking you to {0} to sign in.", integration.name)));
      return;
    }
    popup.location.href = url;
    waitForPopup(integration, started.connection, popup);
  } catch (e) {
    popup?.close();
    notice = { text: e instanceof Error ? e.message : String(e), ok: false };
    report(e, true);
    showMain();
  }
}
function waitForPopup(integration, connection, popup) {
  let done = false;
  const finishWith = async (status) => {
    if (done) return;
    done = true;
    stopWaiting?.();
    await settle(connection.connectionId, status);
  };
  const onMessage = (event) => {
    if (!trusted(event, location.origin, popup, POPUP)) return;
    const data = event.data;
    if (data.type === "oauthResult" && data.connectionId === connection.connectionId) void finishWith(data.status);
  };
  window.addEventListener("message", onMessage);
  const timer = window.setInterval(async () => {
    try {
      const current2 = await api("GET", `/connections/${connection.connectionId}`);
      if (current2.status === "Linked") void finishWith(200);
      else if (popup.closed) void finishWith(0);
    } catch {
    }
  }, 1500);
  stopWaiting = () => {
    window.removeEventListener("message", onMessage);
    window.clearInterval(timer);
    stopWaiting = void 0;
  };
  const reopen = button(t("Reopen the {0} window", integration.name), () => popup.focus(), true);
  screen(
    t("Finish in the {0} window", integration.name),
    el("p", { role: "status" }, t("Sign in to {0} in the window that opened, then come back here.", integration.name)),
    el("div", { className: "actions" }, reopen, button(t("Cancel"), () => {
      popup.close();
      void finishWith(403);
    }, true))
  );
}
async function settle(connectionId, status) {
  try {
    const connection = await api("GET", `/connections/${connectionId}`);
    if (connection.status === "Linked") {
      post({ type: "connection", connection: { connectionId: connection.id, integrationId: connection.integrationId, integrationKey: connection.integrationKey, platformName: connection.platformName, sourceId: connection.sourceId, sourceType: connection.sourceType } });
      notice = { text: t("{0} connected.", connection.platformName), ok: true };
    } else {
      notice = { text: status === 403 || status === 0 ? t("You cancelled: nothing was shared. Choose again or skip.") : t("That connection could not be completed. Please try again."), ok: false };
      if (status !== 403 && status !== 0) fail({ message: `The sign-in ended with status ${status}.`, errorCode: status, userRecoverable: true });
    }
    await reload();
  } catch (e) {
    report(e, true);
  }
  showMain();
}
async function upload(category, input) {
  const file = input.files?.[0];
  if (!file) {
    notice = { text: t("Choose a file first."), ok: false };
    showMain();
    return;
  }
  const form = new FormData();
  form.append("category", category.key);
  form.append("file", file);
  try {
    const response = await fetch(`/link/api/companies/${companyId}/files`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Accept-Language": locale() },
      body: form,
      credentials: "omit",
      cache: "no-store"
    });
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      throw new ApiError(response.status, error.error ?? `The server answered ${response.status}.`, error.correlationId);
    }
    category.uploads += 1;
    notice = { text: t("{0} uploaded.", file.name), ok: true };
  } catch (e) {
    notice = { text: e instanceof Error ? e.message : String(e), ok: false };
    report(e, true);
  }
  showMain();
}
async function skip(category) {
  try {
    await api("POST", "/events", { step: "skipped", category: category.key });
    category.skipped = true;
    showMain();
  } catch (e) {
    report(e, true);
  }
}
async function finish() {
  try {
    for (const c of categories.filter((c2) => !satisfied(c2))) await api("POST", "/events", { step: "skipped", category: c.key });
    await api("POST", "/events", { step: "completed" });
  } catch (e) {
    report(e, true);
  }
  post({ type: "finish" });
  screen(t("All done"), el("p", { className: "status done", role: "status" }, t("Your data is connected. Thank you.")));
}
async function reload() {
  const skipped = new Set(categories.filter((c) => c.skipped).map((c) => c.key));
  journey = await api("GET", "/journey");
  categories = planCategories(journey, options).map((c) => ({ ...c, skipped: c.skipped || skipped.has(c.key) }));
}
async function start(resume) {
  try {
    await reload();
  } catch (e) {
    report(e, false);
    screen(t("Something went wrong"), el("p", { className: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
    return;
  }
  const primary = safeColor(options.theme?.colors?.primary) ?? safeColor(journey.primaryColor);
  if (primary) document.body.style.setProperty("--primary", primary);
  void api("POST", "/events", { step: "opened" }).catch(() => void 0);
  if (resume) {
    await settle(resume.connectionId, resume.status);
  } else if (options.showLandingPage ?? journey.showLandingPage) {
    showLanding();
  } else {
    showMain();
  }
}
window.addEventListener("message", (event) => {
  if (parentOrigin !== void 0 || window.parent === window || !allowedOrigins.includes(event.origin)) return;
  if (!trusted(event, event.origin, window.parent, SDK)) return;
  const init = event.data;
  if (init.type !== "init" || typeof init.accessToken !== "string") return;
  parentOrigin = event.origin;
  token = init.accessToken;
  options = typeof init.options === "object" && init.options !== null ? init.options : {};
  hasClose = init.hasClose === true;
  returnUrl = typeof init.returnUrl === "string" ? init.returnUrl : "";
  post({ type: "ready" });
  void start(init.resume);
});
if (window.parent === window) {
  root.replaceChildren(
    el("h1", { id: "page-title" }, t("Connect your business")),
    el("p", { className: "error", role: "alert" }, t("This page runs inside the app that sent you here. Go back to the app to connect your business."))
  );
}
