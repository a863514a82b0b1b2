/** Tests catch Graph mail with the sandbox's stand-in. */
export { startMailCatcher, type CaughtMail, type MailCatcher } from '../../sandbox/graph/mail.js';
