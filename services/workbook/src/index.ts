export { readSheet, type SheetOptions, type SheetSource } from './read-sheet.js';
export { chooseSheet, type WorkbookSheet } from './choose-sheet.js';
export { cellText, dateParts, dateText, type DateParts } from './cell-text.js';
export { decimalText } from './decimal-text.js';
