import { Menu, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** The usual menus and accelerators; labelling keys themselves live in the renderer's keymap. */
export function buildMenu(
  window: () => BrowserWindow | null,
  openProject: (dir: string, create: boolean) => void,
  /** Runs one of the window's keyboard actions (its keymap names them). */
  runAction: (action: string) => void = () => {},
): Menu {
  const chooseFolder = (create: boolean) => {
    const w = window();
    const options = {
      title: create ? 'Folder for the new project' : 'Project folder',
      properties: ['openDirectory' as const, 'createDirectory' as const],
    };
    const choice = w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options);
    void choice.then((result) => {
      const dir = result.filePaths[0];
      if (!result.canceled && dir) openProject(dir, create);
    });
  };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => chooseFolder(true) },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => chooseFolder(false) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [{ role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      // No accelerators: these keys (t T d D p) belong to the window's remappable keymap.
      label: 'SAMP',
      submenu: [
        ['Send Catalogue to TOPCAT', 'samp-send-catalogue'],
        ["Send Focused Object's Class to TOPCAT", 'samp-send-class'],
        ['Send Cutout to DS9 / Aladin', 'samp-send-cutout'],
        ['Send Frame to DS9 / Aladin', 'samp-send-frame'],
        ['Point at Focused Object', 'samp-point'],
      ].map(([label, action]) => ({ label, click: () => runAction(action!) })),
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
